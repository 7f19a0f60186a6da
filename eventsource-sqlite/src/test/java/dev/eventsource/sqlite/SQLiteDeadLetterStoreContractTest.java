package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.subscription.DeadLetterStore;
import dev.eventsource.tck.DeadLetterStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Dead letters in a SQLite file honour the shared dead-letter contract. */
class SQLiteDeadLetterStoreContractTest extends DeadLetterStoreContract {

    @TempDir
    Path dir;

    private SQLiteEventStore events;

    @Override
    protected DeadLetterStore newDeadLetterStore() {
        events = new SQLiteEventStore(dir.resolve("dead-letters.db").toString(), new EventRegistry());
        return new SQLiteDeadLetterStore(events);
    }

    @AfterEach
    void closeStore() {
        events.close();
    }
}
