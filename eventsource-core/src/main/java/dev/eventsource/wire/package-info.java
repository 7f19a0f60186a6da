/**
 * The one JSON form of a stored event outside a store: the lines of a JSON Lines export and the
 * value of a broker message are the same document ({@link dev.eventsource.wire.EventDocument}).
 */
package dev.eventsource.wire;
