package dev.eventsource.tck;

import dev.eventsource.subscription.Checkpoint;
import dev.eventsource.subscription.CheckpointStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of a {@link CheckpointStore}: one checkpoint per subscription name, saved as given
 * (also backwards, as a rebuild does), exact round trip of every field to the microsecond, reset,
 * and a list of all ordered by name.
 *
 * <p>A backend implements {@link #newCheckpointStore()} to return a store holding no checkpoints.
 */
public abstract class CheckpointStoreContract {

    /** A new checkpoint store holding no checkpoints, ready to use. */
    protected abstract CheckpointStore newCheckpointStore();

    private CheckpointStore checkpoints;

    @BeforeEach
    final void openFreshCheckpointStore() {
        checkpoints = newCheckpointStore();
    }

    private static Checkpoint checkpoint(String name, long position) {
        return new Checkpoint(name, position, position * 2, UUID.randomUUID(), "ItemRenamed",
                Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    @Test
    void a_subscription_without_a_checkpoint_has_none() {
        assertThat(checkpoints.find("never-saved")).isEmpty();
        assertThat(checkpoints.findAll()).isEmpty();
    }

    @Test
    void a_saved_checkpoint_reads_back_unchanged() {
        Checkpoint saved = checkpoint("notes", 42);

        checkpoints.save(saved);

        assertThat(checkpoints.find("notes")).contains(saved);
    }

    @Test
    void a_checkpoint_without_a_last_event_reads_back_unchanged() {
        Checkpoint empty = new Checkpoint("fresh", 0, 0, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS));

        checkpoints.save(empty);

        assertThat(checkpoints.find("fresh")).contains(empty);
    }

    @Test
    void saving_again_replaces_the_checkpoint_even_with_a_lower_position() {
        checkpoints.save(checkpoint("notes", 100));
        Checkpoint rebuilt = checkpoint("notes", 3);

        checkpoints.save(rebuilt);

        assertThat(checkpoints.find("notes")).contains(rebuilt);
        assertThat(checkpoints.findAll()).hasSize(1);
    }

    @Test
    void subscriptions_keep_separate_checkpoints_listed_by_name() {
        Checkpoint b = checkpoint("b-orders", 7);
        Checkpoint a = checkpoint("a-notes", 9);
        checkpoints.save(b);
        checkpoints.save(a);

        assertThat(checkpoints.findAll()).containsExactly(a, b);
    }

    @Test
    void reset_forgets_only_that_checkpoint_and_says_whether_there_was_one() {
        checkpoints.save(checkpoint("notes", 5));
        Checkpoint other = checkpoint("orders", 6);
        checkpoints.save(other);

        assertThat(checkpoints.reset("notes")).isTrue();
        assertThat(checkpoints.reset("notes")).isFalse();
        assertThat(checkpoints.find("notes")).isEmpty();
        assertThat(checkpoints.find("orders")).contains(other);
    }
}
