package dev.eventsource.sqlite;

import dev.eventsource.tck.RelayCrashContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The outbox proof across kill -9 on a SQLite file; the relays' lock is the OS record lock beside it. */
class SQLiteRelayCrashTest extends RelayCrashContract {

    @TempDir
    Path databases;

    @Override
    protected String newDatabaseUrl() {
        return "sqlite:" + databases.resolve("events.db");
    }
}
