package dev.eventsource.tck;

import dev.eventsource.bus.BusCapability;
import dev.eventsource.bus.EventBus;
import dev.eventsource.bus.InMemoryEventBus;
import dev.eventsource.event.EventRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bus suites are wired so that none can be forgotten: every bus suite of the TCK runs in
 * {@link EventBusContract} or is the suite of a capability, every capability has a suite that
 * {@link DurableEventBusContract}-style contracts run, and a bus that declares a capability whose
 * suite its test does not run fails its contract.
 */
class EventBusContractRunsEverySuiteTest {

    @Test
    void every_bus_suite_runs_in_the_bus_contract_or_proves_a_capability() {
        Set<Class<?>> suites = TckClasses.loaded()
                .filter(c -> EventBusFixture.class.isAssignableFrom(c) && c != EventBusFixture.class)
                .filter(c -> Modifier.isAbstract(c.getModifiers()) && Modifier.isPublic(c.getModifiers()))
                .collect(Collectors.toSet());
        Set<Class<?>> wired = new HashSet<>(nestedSuites(EventBusContract.class));
        wired.addAll(EventBusContract.CAPABILITY_SUITES.values());

        assertThat(suites).isNotEmpty().isEqualTo(wired);
    }

    @Test
    void every_capability_has_a_suite_and_the_durable_contract_runs_it() {
        assertThat(EventBusContract.CAPABILITY_SUITES.keySet()).isEqualTo(EnumSet.allOf(BusCapability.class));
        assertThat(nestedSuites(DurableEventBusContract.class))
                .containsExactlyInAnyOrderElementsOf(EventBusContract.CAPABILITY_SUITES.values());
        assertThat(DurableEventBusContract.class.getSuperclass()).isEqualTo(EventBusContract.class);
    }

    @Test
    void the_in_memory_bus_runs_the_suite_of_every_capability_it_declares() {
        for (EventBus bus : new EventBus[] {new InMemoryEventBus(), InMemoryEventBus.asynchronous()}) {
            try {
                bus.capabilities().forEach(c -> assertThat(EventBusContract.runsSuite(InMemoryEventBusContractTest.class,
                        EventBusContract.CAPABILITY_SUITES.get(c))).as("%s runs the suite of %s", bus, c).isTrue());
                assertThat(bus.capabilities()).as("what %s declares", bus).isEmpty();
            } finally {
                bus.close();
            }
        }
    }

    @Test
    void a_bus_that_declares_a_capability_whose_suite_it_does_not_run_fails_its_contract() {
        TestExecutionSummary summary = SuitesFailAgainstANoOpStoreTest.run(OverclaimingBusContractTest.class);

        assertThat(summary.getFailures()).singleElement().satisfies(f ->
                assertThat(f.getTestIdentifier().getDisplayName()).contains("the_bus_declares_exactly_the_capabilities"));
    }

    private static Set<Class<?>> nestedSuites(Class<?> contract) {
        return Arrays.stream(contract.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Nested.class))
                .map(Class::getSuperclass)
                .collect(Collectors.toSet());
    }

    /** The in-memory bus, claiming durable groups it does not have, under the plain contract. */
    static class OverclaimingBusContractTest extends EventBusContract {
        @Override
        protected EventBus newBus(EventRegistry registry) {
            EventBus real = new InMemoryEventBus();
            return (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(), new Class<?>[] {EventBus.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("capabilities")) {
                            return Set.of(BusCapability.DURABLE_GROUPS);
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }
}
