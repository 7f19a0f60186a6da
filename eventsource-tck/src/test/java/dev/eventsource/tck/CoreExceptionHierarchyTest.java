package dev.eventsource.tck;

import dev.eventsource.EventSourceException;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoreExceptionHierarchyTest {

    @Test
    void every_exception_the_core_declares_extends_the_library_root() {
        assertThat(ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(EventSourceException.class))
                .as("the scan must find the core's exceptions").hasSizeGreaterThan(5);
    }

    @Test
    void the_guard_fails_for_a_module_with_an_exception_outside_the_root() {
        assertThatThrownBy(() -> ExceptionHierarchy.assertEveryExceptionExtendsTheRoot(CoreExceptionHierarchyTest.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(Rogue.class.getName());
    }

    @Test
    void the_core_never_constructs_the_bare_root() {
        assertThat(ExceptionHierarchy.assertNoClassConstructsTheBareRoot(EventSourceException.class))
                .as("the scan must see the core's classes").isGreaterThan(50);
    }

    @Test
    void the_guard_fails_for_a_class_that_throws_the_bare_root() {
        assertThatThrownBy(() -> ExceptionHierarchy.assertNoClassConstructsTheBareRoot(CoreExceptionHierarchyTest.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(BareNew.class.getName());
    }

    @Test
    void the_guard_fails_for_a_method_reference_to_the_root_constructor() {
        assertThatThrownBy(() -> ExceptionHierarchy.assertNoClassConstructsTheBareRoot(CoreExceptionHierarchyTest.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(BareReference.class.getName());
    }

    @Test
    void the_guard_fails_for_an_anonymous_subclass_of_the_root() {
        assertThatThrownBy(() -> ExceptionHierarchy.assertNoClassConstructsTheBareRoot(CoreExceptionHierarchyTest.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(BareAnonymous.ANONYMOUS.getClass().getName());
    }

    @Test
    void the_guard_lets_a_subclass_call_the_root_constructor() {
        assertThatThrownBy(() -> ExceptionHierarchy.assertNoClassConstructsTheBareRoot(CoreExceptionHierarchyTest.class))
                .isInstanceOf(AssertionError.class)
                .message().doesNotContain(Leaf.class.getName() + ",").doesNotContain(Leaf.class.getName() + "]");
    }

    /** A throwable outside the root, beside this test, so the guard has something to catch. */
    static final class Rogue extends RuntimeException {
    }

    /** Throws the root itself, as the guard must refuse. */
    static final class BareNew {
        static void fail() {
            throw new EventSourceException("something failed");
        }
    }

    /** Makes the root through a method reference, which compiles to no {@code new} instruction. */
    static final class BareReference {
        static final Function<String, EventSourceException> MAKER = EventSourceException::new;
    }

    /** Hides the root behind an anonymous subclass. */
    static final class BareAnonymous {
        static final EventSourceException ANONYMOUS = new EventSourceException("something failed") {
        };
    }

    /** A leaf: calling the root's constructor from its own is what every leaf does. */
    static final class Leaf extends EventSourceException {
        Leaf() {
            super("a leaf");
        }
    }
}
