package dev.eventsource.test;

import dev.eventsource.aggregate.AggregateRoot;
import dev.eventsource.aggregate.AggregateType;
import dev.eventsource.event.DomainEvent;

import java.util.UUID;

/** The tutorial's note domain, for the tests of this module. */
final class Notes {

    private Notes() {
    }

    record NoteCreated(String title, String content) implements DomainEvent {
    }

    record NoteUpdated(String content) implements DomainEvent {
    }

    record NoteState(UUID noteId, String title, String content) {
    }

    @AggregateType("Note")
    static final class NoteAggregate extends AggregateRoot<NoteState> {

        NoteAggregate(UUID id) {
            super(id);
        }

        @Override
        protected NoteState initialState() {
            return new NoteState(aggregateId(), "", "");
        }

        @Override
        protected NoteState apply(NoteState s, DomainEvent e) {
            if (e instanceof NoteCreated c) {
                return new NoteState(aggregateId(), c.title(), c.content());
            }
            if (e instanceof NoteUpdated u) {
                return new NoteState(aggregateId(), s.title(), u.content());
            }
            return s;
        }

        void create(String title, String content) {
            if (version() > 0) {
                throw new IllegalStateException("note " + aggregateId() + " already exists");
            }
            applyEvent(new NoteCreated(title, content));
        }

        void update(String content) {
            if (version() == 0) {
                throw new IllegalStateException("create the note before updating it");
            }
            if (!content.equals(state().content())) {
                applyEvent(new NoteUpdated(content));
            }
        }
    }
}
