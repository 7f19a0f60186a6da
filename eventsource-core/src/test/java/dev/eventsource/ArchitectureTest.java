package dev.eventsource;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The package rules of the core module, checked on its compiled classes. See "Package rules" in
 * {@code docs/adr/0002-backend-bundle-and-roles.md} for why each holds.
 */
class ArchitectureTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.eventsource");

    /**
     * The API package reaches the implementer's kit in exactly two places, both pinned by the
     * tutorial's names: {@code InMemoryEventStore} lives in {@code dev.eventsource.store} and is built
     * on {@code AbstractEventStore}, and {@code EventStore#recordedLog()} hands out the in-process
     * view a repository and a subscription manager use. Everything else in {@code store} stands
     * without the kit.
     */
    private static final Set<Class<?>> STORE_CLASSES_ALLOWED_TO_USE_THE_SPI = Set.of(InMemoryEventStore.class, EventStore.class);

    @Test
    void the_imported_classes_are_the_whole_core_module() {
        assertThat(CORE.containPackage("dev.eventsource.store.spi")).isTrue();
        assertThat(CORE.stream().map(JavaClass::getPackageName).distinct())
                .contains("dev.eventsource.store", "dev.eventsource.subscription", "dev.eventsource.bus", "dev.eventsource.backend");
    }

    @Test
    void the_api_package_uses_the_spi_only_where_the_tutorials_names_require_it() {
        apiPackageStandsWithoutTheSpi().check(CORE);
    }

    @Test
    void packages_form_no_cycle_besides_the_two_pinned_edges_into_the_spi() {
        packagesFormNoCycle().check(CORE);
    }

    @Test
    void every_in_memory_adapter_lives_beside_the_port_it_implements() {
        inMemoryAdaptersBesideTheirPort().check(CORE);
    }

    @Test
    void the_core_knows_no_backend_module() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.eventsource.sqlite..", "dev.eventsource.postgresql..", "dev.eventsource.jdbc..")
                .check(CORE);
    }

    @Test
    void each_rule_fails_on_classes_that_break_it() {
        JavaClasses offenders = new ClassFileImporter().importPackages("dev.eventsource.archfixtures", "dev.eventsource.store");
        assertThatThrownBy(() -> apiPackageStandsWithoutTheSpi().check(offenders)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("SpiUsingApiTypeForArchitectureTest");
        assertThatThrownBy(() -> packagesFormNoCycle().check(offenders)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("CycleA").hasMessageContaining("CycleB");
        assertThatThrownBy(() -> inMemoryAdaptersBesideTheirPort().check(offenders)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("InMemoryAdapterAwayFromItsPort");
    }

    private static ArchRule apiPackageStandsWithoutTheSpi() {
        return noClasses().that().resideInAPackage("dev.eventsource.store")
                .and(DescribedPredicate.describe("are not " + STORE_CLASSES_ALLOWED_TO_USE_THE_SPI,
                        (JavaClass c) -> STORE_CLASSES_ALLOWED_TO_USE_THE_SPI.stream().noneMatch(c::isEquivalentTo)))
                .should().dependOnClassesThat().resideInAPackage("dev.eventsource.store.spi");
    }

    private static ArchRule packagesFormNoCycle() {
        return slices().matching("dev.eventsource.(**)").should().beFreeOfCycles()
                .ignoreDependency(DescribedPredicate.describe("the pinned store classes",
                                (JavaClass c) -> STORE_CLASSES_ALLOWED_TO_USE_THE_SPI.stream().anyMatch(c::isEquivalentTo)
                                        || c.getEnclosingClass().map(e -> e.isEquivalentTo(InMemoryEventStore.class)).orElse(false)),
                        DescribedPredicate.describe("the spi", (JavaClass c) -> c.getPackageName().equals("dev.eventsource.store.spi")));
    }

    /** An in-memory adapter implements a port of its own package, so that port and default stay together. */
    private static ArchRule inMemoryAdaptersBesideTheirPort() {
        return classes().that().haveSimpleNameStartingWith("InMemory").and().areTopLevelClasses()
                .should(new ArchCondition<>("implement an interface of their own package") {
                    @Override
                    public void check(JavaClass adapter, ConditionEvents events) {
                        boolean beside = adapter.getAllRawInterfaces().stream()
                                .anyMatch(port -> port.getPackageName().equals(adapter.getPackageName()));
                        events.add(new SimpleConditionEvent(adapter, beside, adapter.getName()
                                + (beside ? " implements a port of its package" : " implements no port of its package")));
                    }
                });
    }
}
