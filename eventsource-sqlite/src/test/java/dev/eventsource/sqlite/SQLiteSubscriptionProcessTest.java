package dev.eventsource.sqlite;

import dev.eventsource.tck.SubscriptionProcessContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Drain on SIGTERM and failover under kill -9 on one SQLite file; the lock is the OS record lock beside it. */
class SQLiteSubscriptionProcessTest extends SubscriptionProcessContract {

    @TempDir
    Path databases;

    @Override
    protected String newDatabaseUrl() {
        return "sqlite:" + databases.resolve("events.db");
    }
}
