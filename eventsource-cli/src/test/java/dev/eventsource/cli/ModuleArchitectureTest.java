package dev.eventsource.cli;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.eventsource.backend.EventStoreBackendProvider;
import dev.eventsource.store.EventStoreProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rules between modules, checked on the compiled classes of every module the CLI puts together
 * (core, jdbc, both SQL backends, the CLI). The core's own package rules are in its
 * {@code ArchitectureTest}; the source-level rules (no {@code .internal} import across modules, one
 * column list per backend) in {@code SourceRulesTest}.
 */
class ModuleArchitectureTest {

    private static final JavaClasses ALL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.eventsource");

    @Test
    void every_module_is_imported() {
        assertThat(ALL.stream().map(JavaClass::getPackageName).distinct())
                .contains("dev.eventsource.store", "dev.eventsource.jdbc", "dev.eventsource.sqlite",
                        "dev.eventsource.postgresql", "dev.eventsource.cli");
    }

    @Test
    void url_providers_live_in_their_backends_public_package() {
        List<Class<?>> providers = Stream.concat(
                        ServiceLoader.load(EventStoreProvider.class).stream().map(ServiceLoader.Provider::type),
                        ServiceLoader.load(EventStoreBackendProvider.class).stream().map(ServiceLoader.Provider::type))
                .distinct().collect(Collectors.toList());
        assertThat(providers).extracting(Class::getName)
                .containsExactlyInAnyOrder("dev.eventsource.sqlite.SQLiteEventStoreProvider",
                        "dev.eventsource.postgresql.PostgreSQLEventStoreProvider");
        classes().that().implement(EventStoreBackendProvider.class).or().implement(EventStoreProvider.class)
                .should().resideInAnyPackage("dev.eventsource.sqlite", "dev.eventsource.postgresql")
                .andShould().bePublic()
                .check(ALL);
    }

    @Test
    void backends_do_not_know_each_other_and_the_shared_jdbc_code_knows_neither() {
        noClasses().that().resideInAPackage("dev.eventsource.sqlite..")
                .should().dependOnClassesThat().resideInAPackage("dev.eventsource.postgresql..").check(ALL);
        noClasses().that().resideInAPackage("dev.eventsource.postgresql..")
                .should().dependOnClassesThat().resideInAPackage("dev.eventsource.sqlite..").check(ALL);
        noClasses().that().resideInAPackage("dev.eventsource.jdbc..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.eventsource.sqlite..", "dev.eventsource.postgresql..")
                .check(ALL);
    }

    @Test
    void a_modules_internal_package_is_used_by_that_module_only() {
        for (String module : List.of("sqlite", "postgresql", "jdbc")) {
            noClasses().that().resideOutsideOfPackage("dev.eventsource." + module + "..")
                    .should().dependOnClassesThat().resideInAPackage("dev.eventsource." + module + ".internal..")
                    .check(ALL);
        }
    }

    @Test
    void the_cli_uses_public_api_only() {
        noClasses().that().resideInAPackage("dev.eventsource.cli..")
                .should().dependOnClassesThat().resideInAnyPackage("..internal..")
                .check(ALL);
    }

    @Test
    void the_packages_of_the_backend_modules_form_no_cycle() {
        slices().matching("dev.eventsource.(sqlite|postgresql|jdbc|cli)..").should().beFreeOfCycles().check(ALL);
        slices().matching("dev.eventsource.(*).(**)").should().beFreeOfCycles()
                .ignoreDependency(JavaClass.Predicates.resideInAPackage("dev.eventsource.store"),
                        JavaClass.Predicates.resideInAPackage("dev.eventsource.store.spi"))
                .check(ALL);
    }
}
