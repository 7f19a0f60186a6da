package dev.eventsource.sqlite;

import dev.eventsource.tck.ExceptionHierarchy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SQLiteExceptionHierarchyTest {

    @Test
    void every_exception_this_module_declares_extends_the_library_root() {
        ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(SQLiteEventStore.class);
    }

    @Test
    void this_module_never_constructs_the_bare_root() {
        assertThat(ExceptionHierarchy.assertNoClassConstructsTheBareRoot(SQLiteEventStore.class)).isGreaterThan(10);
    }
}
