package dev.eventsource.sqlite.internal;

/** Every query plan of {@link QueryPlanTest} again, for a store whose tables carry a prefix. */
class PrefixedQueryPlanTest extends QueryPlanTest {

    @Override
    String prefix() {
        return "es_";
    }
}
