package dev.eventsource.tck;

import dev.eventsource.EventSourceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CoreExceptionHierarchyTest {

    @Test
    void every_exception_the_core_declares_extends_the_library_root() {
        assertThat(ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(EventSourceException.class))
                .as("the scan must find the core's exceptions").hasSizeGreaterThan(5);
    }

    @Test
    void the_guard_fails_for_a_module_with_an_exception_outside_the_root() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(CoreExceptionHierarchyTest.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(Rogue.class.getName());
    }

    /** A throwable outside the root, beside this test, so the guard has something to catch. */
    static final class Rogue extends RuntimeException {
    }
}
