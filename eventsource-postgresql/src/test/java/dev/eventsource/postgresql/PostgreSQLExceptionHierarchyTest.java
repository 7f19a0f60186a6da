package dev.eventsource.postgresql;

import dev.eventsource.tck.ExceptionHierarchy;
import org.junit.jupiter.api.Test;

class PostgreSQLExceptionHierarchyTest {

    @Test
    void every_exception_this_module_declares_extends_the_library_root() {
        ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(PostgreSQLEventStore.class);
    }
}
