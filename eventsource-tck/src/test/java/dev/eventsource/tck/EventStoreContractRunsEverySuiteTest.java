package dev.eventsource.tck;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * One subclass of {@link EventStoreContract} runs every event store suite, and one subclass of
 * {@link PersistentEventStoreContract} runs them plus {@link ReopenContract}: checked against the
 * suites found in the TCK, and by counting the tests JUnit discovers.
 */
class EventStoreContractRunsEverySuiteTest {

    @Test
    void every_event_store_suite_except_reopen_is_nested_in_the_event_store_contract() {
        Set<Class<?>> suites = suites();
        suites.remove(ReopenContract.class);

        assertThat(nestedSuites(EventStoreContract.class)).isEqualTo(suites);
    }

    @Test
    void the_persistent_contract_adds_the_reopen_suite() {
        assertThat(nestedSuites(PersistentEventStoreContract.class)).containsExactly(ReopenContract.class);
        assertThat(PersistentEventStoreContract.class.getSuperclass()).isEqualTo(EventStoreContract.class);
    }

    @Test
    void a_subclass_of_the_event_store_contract_runs_every_test_of_every_suite_but_reopen() {
        Set<Class<?>> suites = suites();
        suites.remove(ReopenContract.class);

        assertThat(discoveredTests(InMemoryEventStoreContractTest.class)).isPositive().isEqualTo(testMethods(suites));
    }

    @Test
    void a_subclass_of_the_persistent_contract_runs_every_test_of_every_suite() {
        assertThat(discoveredTests(SharedMemoryEventStoreContractTest.class)).isEqualTo(testMethods(suites()));
    }

    /** Every abstract suite built on the store fixture. */
    private static Set<Class<?>> suites() {
        return TckClasses.loaded()
                .filter(c -> EventStoreFixture.class.isAssignableFrom(c) && c != EventStoreFixture.class)
                .filter(c -> Modifier.isAbstract(c.getModifiers()) && Modifier.isPublic(c.getModifiers()))
                .collect(Collectors.toCollection(java.util.HashSet::new));
    }

    private static Set<Class<?>> nestedSuites(Class<?> contract) {
        return Arrays.stream(contract.getDeclaredClasses())
                .filter(c -> c.isAnnotationPresent(Nested.class))
                .map(Class::getSuperclass)
                .collect(Collectors.toSet());
    }

    private static long testMethods(Set<Class<?>> suites) {
        long count = 0;
        for (Class<?> suite : suites) {
            for (Method m : suite.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long discoveredTests(Class<?> testClass) {
        TestPlan plan = LauncherFactory.create()
                .discover(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build());
        return plan.countTestIdentifiers(t -> t.isTest());
    }
}
