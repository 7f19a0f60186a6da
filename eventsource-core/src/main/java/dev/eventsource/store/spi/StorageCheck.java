package dev.eventsource.store.spi;

import java.util.List;

/**
 * A store whose database can check its own storage beneath the rows: pages, indexes, free lists;
 * damage the event checks of a tool cannot see, such as a corrupt index that reads of the log
 * never touch but appends write into. A backend without such a check does not implement this role.
 */
public interface StorageCheck {

    /**
     * Runs the database's own integrity check; reads only.
     *
     * @param full the thorough check (slower; e.g. also that every index matches its table) instead
     *             of the quick one
     * @return what the database reports as damaged, one line per problem; empty when it finds none
     * @throws dev.eventsource.EventSourceException when the check itself cannot run (e.g. the
     *                                              damage stops the database from reading its schema)
     */
    List<String> checkStorage(boolean full);
}
