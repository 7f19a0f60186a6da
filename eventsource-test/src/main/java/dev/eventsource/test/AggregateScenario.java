package dev.eventsource.test;

import dev.eventsource.aggregate.AggregateRepository;
import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.InMemoryEventStore;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A given/when/then test of one aggregate command, without a store to set up:
 * <pre>{@code
 * AggregateScenario.forAggregate(NoteAggregate::new)
 *         .given(new NoteCreated("Title", "draft"))
 *         .when(note -> note.update("final"))
 *         .then(new NoteUpdated("final"))
 *         .thenState(state -> assertThat(state.content()).isEqualTo("final"));
 * }</pre>
 *
 * <p>The given events are appended to a private {@link InMemoryEventStore} and the aggregate is
 * loaded from it through an {@link AggregateRepository}, exactly as an application loads it; so
 * a given event that could not be stored fails here too. The command then runs once, and the
 * {@code then} methods inspect the events it applied, the exception it threw, and the state it
 * left. Events are compared with {@code equals}, which records provide.
 *
 * <p>Every failing {@code then} throws an {@link AssertionFailedError} whose message shows the
 * expected and the actual events (or exception), and which carries both for IDE diffs. Not
 * thread-safe; a scenario is one test's local value.
 *
 * @param <A> the aggregate type
 * @param <S> its state type
 */
public final class AggregateScenario<A extends AggregateRoot<S>, S> {

    private final Function<UUID, A> factory;
    private final List<DomainEvent> given = new ArrayList<>();
    private UUID aggregateId = UUID.randomUUID();

    private AggregateScenario(Function<UUID, A> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** A scenario for aggregates made by {@code factory}, e.g. {@code NoteAggregate::new}. */
    public static <A extends AggregateRoot<S>, S> AggregateScenario<A, S> forAggregate(Function<UUID, A> factory) {
        return new AggregateScenario<>(factory);
    }

    /** Uses this id instead of a random one, for states or events that contain the id. */
    public AggregateScenario<A, S> withId(UUID id) {
        this.aggregateId = Objects.requireNonNull(id, "id");
        return this;
    }

    /** Events the aggregate already has, oldest first; calls add up. */
    public AggregateScenario<A, S> given(DomainEvent... events) {
        for (DomainEvent e : events) {
            given.add(Objects.requireNonNull(e, "given events must not contain null"));
        }
        return this;
    }

    /**
     * Loads the aggregate from the given events and runs {@code command} on it once.
     *
     * @return the outcome, to check with the {@code then} methods
     */
    public Outcome<A, S> when(Consumer<? super A> command) {
        Objects.requireNonNull(command, "command");
        try (InMemoryEventStore store = new InMemoryEventStore(new EventRegistry())) {
            AggregateRepository<A> repository = new AggregateRepository<>(store, factory, "Scenario");
            if (!given.isEmpty()) {
                store.appendEvents(aggregateId, repository.aggregateType(), given, ExpectedVersion.NO_STREAM);
            }
            A aggregate = repository.loadOrCreate(aggregateId);
            RuntimeException thrown = null;
            try {
                command.accept(aggregate);
            } catch (RuntimeException e) {
                thrown = e;
            }
            return new Outcome<>(aggregate, List.copyOf(aggregate.uncommittedEvents()), thrown);
        }
    }

    /**
     * What a command did: the events it applied or the exception it threw, and the state it left.
     * Each check returns this outcome, so checks can be chained.
     *
     * @param <A> the aggregate type
     * @param <S> its state type
     */
    public static final class Outcome<A extends AggregateRoot<S>, S> {

        private final A aggregate;
        private final List<DomainEvent> events;
        private final RuntimeException thrown;

        private Outcome(A aggregate, List<DomainEvent> events, RuntimeException thrown) {
            this.aggregate = aggregate;
            this.events = events;
            this.thrown = thrown;
        }

        /** Checks that the command completed and applied exactly these events, in this order. */
        public Outcome<A, S> then(DomainEvent... expected) {
            requireCompleted("events " + Arrays.toString(expected));
            List<DomainEvent> wanted = Arrays.asList(expected);
            if (!wanted.equals(events)) {
                throw new AssertionFailedError("the command applied other events than expected\nexpected: " + wanted
                        + "\n  actual: " + events, wanted, events);
            }
            return this;
        }

        /** Checks that the command completed without applying any event. */
        public Outcome<A, S> thenNothing() {
            return then();
        }

        /**
         * Checks that the command threw an exception of this type (or a subtype).
         *
         * @return the exception, for further checks
         */
        public <X extends Throwable> X thenThrows(Class<X> type) {
            Objects.requireNonNull(type, "type");
            if (thrown == null) {
                throw new AssertionFailedError("expected the command to throw " + type.getName()
                        + "\nbut it completed and applied: " + events);
            }
            if (!type.isInstance(thrown)) {
                throw new AssertionFailedError("expected the command to throw " + type.getName() + "\nbut it threw "
                        + thrown, type.getName(), thrown.getClass().getName(), thrown);
            }
            return type.cast(thrown);
        }

        /**
         * Checks that the command threw an exception of this type whose message contains
         * {@code messagePart}.
         *
         * @return the exception, for further checks
         */
        public <X extends Throwable> X thenThrows(Class<X> type, String messagePart) {
            Objects.requireNonNull(messagePart, "messagePart");
            X exception = thenThrows(type);
            String message = exception.getMessage();
            if (message == null || !message.contains(messagePart)) {
                throw new AssertionFailedError("the command threw " + type.getName() + " as expected, but its message"
                        + "\nexpected to contain: " + messagePart + "\n                was: " + message,
                        messagePart, message, exception);
            }
            return exception;
        }

        /** Checks that the command completed and left the aggregate in {@code expected} state. */
        public Outcome<A, S> thenState(S expected) {
            requireCompleted("state " + expected);
            S actual = aggregate.state();
            if (!Objects.equals(expected, actual)) {
                throw new AssertionFailedError("the command left another state than expected\nexpected: " + expected
                        + "\n  actual: " + actual, expected, actual);
            }
            return this;
        }

        /** Checks that the command completed, then runs {@code assertions} on the aggregate's state. */
        public Outcome<A, S> thenState(Consumer<? super S> assertions) {
            Objects.requireNonNull(assertions, "assertions");
            requireCompleted("a state to check");
            assertions.accept(aggregate.state());
            return this;
        }

        /** The aggregate after the command, with the command's events still uncommitted. */
        public A aggregate() {
            return aggregate;
        }

        private void requireCompleted(String expectation) {
            if (thrown != null) {
                throw new AssertionFailedError("expected " + expectation + "\nbut the command threw " + thrown, thrown);
            }
        }
    }
}
