package dev.eventsource.postgresql;

import dev.eventsource.tck.SubscriptionProcessContract;
import dev.eventsource.test.PostgresTestServer;

/** Drain on SIGTERM and failover under kill -9 on PostgreSQL; the lock is a session advisory lock. */
class PostgreSQLSubscriptionProcessTest extends SubscriptionProcessContract {

    @Override
    protected String newDatabaseUrl() {
        String url = PostgresTestServer.url();
        return url + (url.contains("?") ? "&" : "?") + "schema=" + PostgresTestServer.freshSchema();
    }
}
