package dev.eventsource.postgresql;

import dev.eventsource.tck.ExceptionHierarchy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PostgreSQLExceptionHierarchyTest {

    @Test
    void every_exception_this_module_declares_extends_the_library_root() {
        ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(PostgreSQLEventStore.class);
    }

    @Test
    void this_module_never_constructs_the_bare_root() {
        assertThat(ExceptionHierarchy.assertNoClassConstructsTheBareRoot(PostgreSQLEventStore.class)).isGreaterThan(10);
    }
}
