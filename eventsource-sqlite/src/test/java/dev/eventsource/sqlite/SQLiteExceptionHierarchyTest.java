package dev.eventsource.sqlite;

import dev.eventsource.tck.ExceptionHierarchy;
import org.junit.jupiter.api.Test;

class SQLiteExceptionHierarchyTest {

    @Test
    void every_exception_this_module_declares_extends_the_library_root() {
        ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(SQLiteEventStore.class);
    }
}
