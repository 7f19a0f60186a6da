package dev.eventsource.sqlite;

import dev.eventsource.event.DomainEvent;

/** Events the SQLite tests write. */
final class Notes {

    private Notes() {
    }

    record NoteCreated(String title, String content) implements DomainEvent {
    }

    record NoteUpdated(String content) implements DomainEvent {
    }
}
