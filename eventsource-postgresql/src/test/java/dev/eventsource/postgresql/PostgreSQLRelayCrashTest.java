package dev.eventsource.postgresql;

import dev.eventsource.tck.RelayCrashContract;
import dev.eventsource.test.PostgresTestServer;

/** The outbox proof across kill -9 on PostgreSQL; the relays' lock is a session advisory lock. */
class PostgreSQLRelayCrashTest extends RelayCrashContract {

    @Override
    protected String newDatabaseUrl() {
        String url = PostgresTestServer.url();
        return url + (url.contains("?") ? "&" : "?") + "schema=" + PostgresTestServer.freshSchema();
    }
}
