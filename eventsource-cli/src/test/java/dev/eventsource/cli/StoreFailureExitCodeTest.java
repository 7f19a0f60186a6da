package dev.eventsource.cli;

import dev.eventsource.EventSourceException;
import dev.eventsource.postgresql.TransientStoreException;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.UnexpectedStoreException;
import dev.eventsource.tck.ExceptionHierarchy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI tells a store that failed as a whole (exit 3) from other failures by type, never by message. */
class StoreFailureExitCodeTest {

    @Test
    void retryable_unavailable_incompatible_and_uninitialized_stores_are_store_failures() {
        assertThat(List.<EventSourceException>of(
                new EventStoreBusyException("locked", Duration.ofSeconds(1), null),
                new TransientStoreException("connection lost", "08006", null),
                new StoreUnavailableException(StoreUnavailableException.Reason.STORAGE_FULL, "disk full", null),
                new IncompatibleStoreException(IncompatibleStoreException.Kind.NEWER_SCHEMA, "newer", null),
                new StoreNotInitializedException("no schema", null)))
                .allSatisfy(e -> assertThat(EventsourceCli.storeUnavailable(e)).as(e.getClass().getSimpleName()).isTrue());
    }

    @Test
    void an_unclassified_database_error_is_a_plain_failure() {
        assertThat(EventsourceCli.storeUnavailable(new UnexpectedStoreException("SQLState XX000", null))).isFalse();
    }

    @Test
    void the_command_never_constructs_the_bare_root() {
        assertThat(ExceptionHierarchy.assertNoClassConstructsTheBareRoot(EventsourceCli.class)).isGreaterThan(10);
    }
}
