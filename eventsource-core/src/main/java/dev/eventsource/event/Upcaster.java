package dev.eventsource.event;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns the stored JSON of one schema version of an event into the JSON of the next version.
 *
 * <p>Upcasters run on read, in a chain: a {@code NoteCreated} stored as v1 and read by code whose
 * record is v3 passes through the v1&rarr;v2 and then the v2&rarr;v3 upcaster. Stored rows are
 * never rewritten. An upcaster may modify and return its argument or return a new node; it must
 * be a pure function of its input.
 */
@FunctionalInterface
public interface Upcaster {

    /** Returns the payload of the next schema version. */
    ObjectNode upcast(ObjectNode payload);
}
