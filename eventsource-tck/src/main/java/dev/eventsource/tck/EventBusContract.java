package dev.eventsource.tck;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.EventBus;
import dev.eventsource.event.EventRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bus suite a bus must pass, at once: a bus extends this class, implements
 * {@link #newBus(EventRegistry)}, and JUnit runs each suite as a {@link Nested} group.
 *
 * <pre>{@code
 * class InMemoryEventBusContractTest extends EventBusContract {
 *     protected EventBus newBus(EventRegistry registry) {
 *         return new InMemoryEventBus();
 *     }
 * }
 * }</pre>
 *
 * <p>The suites are split by capability. {@link EventBusDeliveryContract},
 * {@link EventBusDeadLetterContract} and {@link EventBusCompetingConsumersContract} hold for every
 * bus and run here. A guarantee not every bus can give is a {@link BusCapability} that the bus
 * declares in {@code capabilities()}, with a suite of its own: {@link BusCapability#DURABLE_GROUPS}
 * is {@link EventBusRedeliveryContract}, which {@link DurableEventBusContract} adds. A test of
 * this class, {@code the_bus_declares_exactly_the_capabilities_whose_suites_run}, fails a bus that
 * declares a capability whose suite its test class does not run, or runs one it does not declare,
 * so a declaration cannot go unproven. No suite can skip a test (the TCK's own tests refuse
 * assumptions and {@code @Disabled}), and every test of every bus suite fails against a bus that
 * delivers nothing.
 */
public abstract class EventBusContract {

    /** The suite that proves each capability; one entry per {@link BusCapability}. */
    public static final Map<BusCapability, Class<? extends EventBusFixture>> CAPABILITY_SUITES =
            Map.of(BusCapability.DURABLE_GROUPS, EventBusRedeliveryContract.class);

    /** A new bus using {@code registry}, reachable by no other test (see {@link EventBusFixture}). */
    protected abstract EventBus newBus(EventRegistry registry);

    @Test
    void the_bus_declares_exactly_the_capabilities_whose_suites_run() {
        EventBus bus = newBus(new EventRegistry());
        Set<BusCapability> declared;
        try {
            declared = EnumSet.noneOf(BusCapability.class);
            declared.addAll(bus.capabilities());
        } finally {
            bus.shutdown(Duration.ofSeconds(10));
        }
        Set<BusCapability> proven = EnumSet.noneOf(BusCapability.class);
        CAPABILITY_SUITES.forEach((capability, suite) -> {
            if (runsSuite(getClass(), suite)) {
                proven.add(capability);
            }
        });

        assertThat(declared).as("the capabilities %s declares, against the suites %s runs", bus, getClass().getSimpleName())
                .isEqualTo(proven);
    }

    /** Whether a {@link Nested} class of {@code testClass} or of its superclasses extends {@code suite}. */
    static boolean runsSuite(Class<?> testClass, Class<?> suite) {
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            if (Arrays.stream(c.getDeclaredClasses())
                    .anyMatch(n -> n.isAnnotationPresent(Nested.class) && suite.isAssignableFrom(n))) {
                return true;
            }
        }
        return false;
    }

    @Nested
    class Delivery extends EventBusDeliveryContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return EventBusContract.this.newBus(registry);
        }

        @Override
        protected Duration timeout() {
            return EventBusContract.this.timeout();
        }
    }

    @Nested
    class DeadLetters extends EventBusDeadLetterContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return EventBusContract.this.newBus(registry);
        }

        @Override
        protected Duration timeout() {
            return EventBusContract.this.timeout();
        }
    }

    @Nested
    class CompetingConsumers extends EventBusCompetingConsumersContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            return EventBusContract.this.newBus(registry);
        }

        @Override
        protected Duration timeout() {
            return EventBusContract.this.timeout();
        }
    }

    /** How long a test waits for a delivery before it fails; see {@link EventBusFixture#timeout()}. */
    protected Duration timeout() {
        return Duration.ofMinutes(1);
    }
}
