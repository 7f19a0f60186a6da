package dev.eventsource.tck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventsource.subscription.DeadLetter;
import dev.eventsource.subscription.DeadLetterQuery;
import dev.eventsource.subscription.DeadLetterStats;
import dev.eventsource.subscription.DeadLetterStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The contract of a {@link DeadLetterStore}: entries get ids and read back unchanged (the payload
 * as the same JSON value), one entry per subscription and event that a repeated failure updates,
 * unresolved entries listed in position order and counted, and resolve.
 *
 * <p>A backend implements {@link #newDeadLetterStore()} to return a store holding no entries.
 */
public abstract class DeadLetterStoreContract {

    /** A new dead-letter store holding no entries, ready to use. */
    protected abstract DeadLetterStore newDeadLetterStore();

    private DeadLetterStore letters;

    @BeforeEach
    final void openFreshDeadLetterStore() {
        letters = newDeadLetterStore();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static DeadLetter letter(String subscription, UUID eventId, long position, int attempts, String error) {
        Instant at = now();
        return new DeadLetter(0, subscription, eventId, position, "ItemRenamed",
                "{\"name\":\"caf\u00e9 \u2615\",\"revision\":" + position + "}", error,
                "java.lang.IllegalStateException: " + error + "\n\tat Handler.handle(Handler.java:1)", attempts, at, at,
                null);
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void an_added_entry_gets_an_id_and_reads_back_unchanged() {
        DeadLetter added = letters.add(letter("notes", UUID.randomUUID(), 12, 3, "boom"));

        assertThat(added.id()).isPositive();
        assertThat(letters.find(added.id())).get().satisfies(found -> {
            assertThat(found.subscription()).isEqualTo("notes");
            assertThat(found.eventId()).isEqualTo(added.eventId());
            assertThat(found.globalPosition()).isEqualTo(12);
            assertThat(found.eventType()).isEqualTo("ItemRenamed");
            assertThat(json(found.payload())).isEqualTo(json(added.payload()));
            assertThat(found.error()).isEqualTo("boom");
            assertThat(found.stackTrace()).isEqualTo(added.stackTrace());
            assertThat(found.attempts()).isEqualTo(3);
            assertThat(found.firstFailedAt()).isEqualTo(added.firstFailedAt());
            assertThat(found.lastFailedAt()).isEqualTo(added.lastFailedAt());
            assertThat(found.isResolved()).isFalse();
        });
    }

    @Test
    void an_unknown_id_finds_nothing() {
        assertThat(letters.find(987_654)).isEmpty();
        assertThat(letters.listAll()).isEmpty();
    }

    @Test
    void entries_get_distinct_ids() {
        DeadLetter a = letters.add(letter("notes", UUID.randomUUID(), 1, 1, "a"));
        DeadLetter b = letters.add(letter("notes", UUID.randomUUID(), 2, 1, "b"));

        assertThat(a.id()).isNotEqualTo(b.id());
    }

    @Test
    void a_repeated_failure_of_one_event_updates_its_entry() {
        UUID event = UUID.randomUUID();
        DeadLetter first = letters.add(letter("notes", event, 5, 3, "first"));

        DeadLetter again = letters.add(letter("notes", event, 5, 1, "second"));

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.attempts()).isEqualTo(4);
        assertThat(again.error()).isEqualTo("second");
        assertThat(again.firstFailedAt()).isEqualTo(first.firstFailedAt());
        assertThat(letters.list("notes")).hasSize(1).first().isEqualTo(again);
    }

    @Test
    void one_event_failing_in_two_subscriptions_makes_two_entries() {
        UUID event = UUID.randomUUID();
        letters.add(letter("notes", event, 5, 1, "x"));
        letters.add(letter("orders", event, 5, 1, "y"));

        assertThat(letters.list("notes")).hasSize(1);
        assertThat(letters.list("orders")).hasSize(1);
    }

    @Test
    void unresolved_entries_are_listed_by_subscription_in_position_order() {
        letters.add(letter("notes", UUID.randomUUID(), 30, 1, "c"));
        letters.add(letter("orders", UUID.randomUUID(), 20, 1, "o"));
        letters.add(letter("notes", UUID.randomUUID(), 10, 1, "a"));

        assertThat(letters.list("notes")).extracting(DeadLetter::globalPosition).containsExactly(10L, 30L);
        assertThat(letters.listAll()).extracting(DeadLetter::subscription, DeadLetter::globalPosition)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("notes", 10L),
                        org.assertj.core.groups.Tuple.tuple("notes", 30L),
                        org.assertj.core.groups.Tuple.tuple("orders", 20L));
    }

    @Test
    void counts_the_unresolved_entries_of_one_subscription() {
        DeadLetter resolved = letters.add(letter("notes", UUID.randomUUID(), 1, 1, "a"));
        letters.add(letter("notes", UUID.randomUUID(), 2, 1, "b"));
        letters.add(letter("notes", UUID.randomUUID(), 3, 1, "c"));
        letters.add(letter("orders", UUID.randomUUID(), 4, 1, "o"));
        letters.resolve(resolved.id(), now());

        assertThat(letters.count("notes")).isEqualTo(2);
        assertThat(letters.count("orders")).isEqualTo(1);
        assertThat(letters.count("nobody")).isZero();
    }

    @Test
    void a_resolved_entry_leaves_the_lists_but_can_still_be_found() {
        DeadLetter added = letters.add(letter("notes", UUID.randomUUID(), 3, 2, "boom"));
        Instant at = now();

        assertThat(letters.resolve(added.id(), at)).isTrue();
        assertThat(letters.resolve(added.id(), at)).isFalse();

        assertThat(letters.list("notes")).isEmpty();
        assertThat(letters.find(added.id())).get().extracting(DeadLetter::resolvedAt).isEqualTo(at);
    }

    @Test
    void a_resolved_event_failing_again_is_unresolved_again() {
        UUID event = UUID.randomUUID();
        DeadLetter added = letters.add(letter("notes", event, 3, 2, "boom"));
        letters.resolve(added.id(), now());

        letters.add(letter("notes", event, 3, 1, "again"));

        assertThat(letters.list("notes")).extracting(DeadLetter::id, DeadLetter::attempts)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(added.id(), 3));
    }

    @Test
    void resolving_an_unknown_id_says_so() {
        assertThat(letters.resolve(424_242, now())).isFalse();
    }

    private DeadLetter letterOfType(String subscription, String eventType, String error) {
        Instant at = now();
        return letters.add(new DeadLetter(0, subscription, UUID.randomUUID(), 1, eventType, "{}", error, error, 1, at, at, null));
    }

    @Test
    void a_query_selects_by_subscription_type_and_error_text_in_id_order_and_pages_after_an_id() {
        DeadLetter a1 = letterOfType("billing", "OrderPlaced", "java.util.concurrent.TimeoutException: gateway slow");
        DeadLetter b1 = letterOfType("search", "OrderPlaced", "java.lang.IllegalStateException: index closed");
        DeadLetter a2 = letterOfType("billing", "OrderShipped", "java.util.concurrent.TimeoutException: gateway slow");
        DeadLetter a3 = letterOfType("billing", "OrderPlaced", "java.lang.IllegalArgumentException: bad amount");
        DeadLetter a4 = letterOfType("billing", "OrderPlaced", "java.lang.IllegalStateException: TIMEOUTEXCEPTION in text");

        assertThat(letters.query(DeadLetterQuery.all())).extracting(DeadLetter::id)
                .containsExactly(a1.id(), b1.id(), a2.id(), a3.id(), a4.id());
        assertThat(letters.query(DeadLetterQuery.all().subscription("billing").eventType("OrderPlaced")))
                .extracting(DeadLetter::id).containsExactly(a1.id(), a3.id(), a4.id());
        assertThat(letters.query(DeadLetterQuery.all().errorContaining("TimeoutException")))
                .as("case-sensitive, no wildcards").extracting(DeadLetter::id).containsExactly(a1.id(), a2.id());
        assertThat(letters.query(DeadLetterQuery.all().errorContaining("%"))).isEmpty();
        assertThat(letters.query(DeadLetterQuery.all().subscription("billing").limit(2)))
                .extracting(DeadLetter::id).containsExactly(a1.id(), a2.id());
        assertThat(letters.query(DeadLetterQuery.all().subscription("billing").after(a2.id()).limit(2)))
                .extracting(DeadLetter::id).containsExactly(a3.id(), a4.id());
        assertThat(letters.query(DeadLetterQuery.all().subscription("nobody"))).isEmpty();
    }

    @Test
    void a_query_leaves_resolved_entries_out_unless_asked_and_pages_past_many_non_matching_ones() {
        DeadLetter resolved = letterOfType("billing", "OrderPlaced", "x.Boom: resolved");
        letters.resolve(resolved.id(), now());
        for (int i = 0; i < 700; i++) {
            letterOfType("billing", "OrderPlaced", "x.Other: noise " + i);
        }
        DeadLetter wanted = letterOfType("billing", "OrderPlaced", "x.Boom: needle");

        assertThat(letters.query(DeadLetterQuery.all().errorContaining("x.Boom"))).extracting(DeadLetter::id)
                .containsExactly(wanted.id());
        assertThat(letters.query(DeadLetterQuery.all().errorContaining("x.Boom").includeResolved()))
                .extracting(DeadLetter::id).containsExactly(resolved.id(), wanted.id());
    }

    @Test
    void stats_count_unresolved_entries_per_subscription_and_error_type() {
        letterOfType("billing", "T", "java.util.concurrent.TimeoutException: slow");
        letterOfType("billing", "T", "java.util.concurrent.TimeoutException: slower");
        letterOfType("search", "T", "java.lang.IllegalStateException: closed");
        DeadLetter done = letterOfType("search", "T", "java.lang.IllegalStateException: closed");
        letters.resolve(done.id(), now());
        letterOfType("search", "T", "no colon at all");

        DeadLetterStats stats = letters.stats();

        assertThat(stats.unresolved()).isEqualTo(4);
        assertThat(stats.bySubscription()).containsExactly(entry("billing", 2L), entry("search", 2L));
        assertThat(stats.byErrorType()).containsExactly(entry("java.lang.IllegalStateException", 1L),
                entry("java.util.concurrent.TimeoutException", 2L), entry("no colon at all", 1L));
    }

    @Test
    void purging_removes_only_entries_resolved_before_the_given_time() {
        DeadLetter old = letterOfType("billing", "T", "x.E: old");
        DeadLetter recent = letterOfType("billing", "T", "x.E: recent");
        DeadLetter open = letterOfType("billing", "T", "x.E: open");
        Instant cut = now();
        letters.resolve(old.id(), cut.minusSeconds(3_600));
        letters.resolve(recent.id(), cut.plusSeconds(1));

        assertThat(letters.purgeResolved(cut)).isEqualTo(1);
        assertThat(letters.find(old.id())).isEmpty();
        assertThat(letters.find(recent.id())).isPresent();
        assertThat(letters.find(open.id())).isPresent();
        assertThat(letters.purgeResolved(cut.plusSeconds(3_600))).isEqualTo(1);
        assertThat(letters.find(open.id())).as("unresolved entries are never purged").isPresent();
    }

    @Test
    void a_malformed_query_is_refused_naming_the_value() {
        assertThatThrownBy(() -> DeadLetterQuery.all().limit(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> DeadLetterQuery.all().limit(DeadLetterQuery.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetterQuery.all().after(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
        assertThatThrownBy(() -> DeadLetterQuery.all().subscription(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeadLetterQuery.all().errorContaining("")).isInstanceOf(IllegalArgumentException.class);
    }
}
