package dev.eventsource.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventRegistryTest {

    record Plain(String x) implements DomainEvent {}

    @EventType(value = "Renamed", version = 3)
    record Annotated(String x) implements DomainEvent {}

    sealed interface Family extends DomainEvent permits Family.One, Family.Two, Family.Nested {
        record One() implements Family {}
        record Two() implements Family {}
        sealed interface Nested extends Family permits Three {}
    }

    record Three() implements Family.Nested {}

    static final class Other {
        @EventType("Plain")
        record Impostor(String y) implements DomainEvent {}

        @EventType("Opened")
        record OpenedElsewhere() implements DomainEvent {}
    }

    private static final String SCANNED = "dev.eventsource.event.scanned";

    @Test
    void names_an_event_by_its_simple_class_name_unless_annotated() {
        assertThat(EventRegistry.typeName(Plain.class)).isEqualTo("Plain");
        assertThat(EventRegistry.typeName(Annotated.class)).isEqualTo("Renamed");
        assertThat(EventRegistry.schemaVersion(Plain.class)).isEqualTo(1);
        assertThat(EventRegistry.schemaVersion(Annotated.class)).isEqualTo(3);
    }

    @Test
    void registering_the_same_class_twice_is_a_no_op() {
        EventRegistry registry = new EventRegistry().register(Plain.class).register(Plain.class);

        assertThat(registry.knownTypes()).containsExactly("Plain");
    }

    @Test
    void refuses_a_different_class_under_a_taken_name() {
        EventRegistry registry = new EventRegistry().register(Plain.class);

        assertThatThrownBy(() -> registry.register(Other.Impostor.class))
                .isInstanceOf(DuplicateEventTypeException.class)
                .hasMessageContaining("'Plain'")
                .hasMessageContaining("@EventType");
        assertThat(registry.lookup("Plain")).isEqualTo(Plain.class);
    }

    @Test
    void registering_a_sealed_interface_registers_every_permitted_record() {
        EventRegistry registry = new EventRegistry().register(Family.class);

        assertThat(registry.knownTypes()).containsExactly("One", "Three", "Two");
    }

    @Test
    void an_unknown_name_lists_the_known_ones() {
        EventRegistry registry = new EventRegistry().register(Plain.class);

        assertThatThrownBy(() -> registry.lookup("Missing"))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("Missing")
                .hasMessageContaining("[Plain]");
    }

    @Test
    void refuses_a_second_upcaster_for_the_same_step() {
        EventRegistry registry = new EventRegistry().registerUpcaster("Plain", 1, p -> p);

        assertThatThrownBy(() -> registry.registerUpcaster("Plain", 1, p -> p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v1 -> v2");
    }

    @Test
    void separate_registries_do_not_share_types() {
        EventRegistry a = new EventRegistry().register(Plain.class);
        EventRegistry b = new EventRegistry();

        assertThat(a.find("Plain")).isPresent();
        assertThat(b.find("Plain")).isEmpty();
    }

    @Test
    void registers_every_concrete_event_class_of_a_package_and_its_subpackages_from_a_directory() {
        EventRegistry registry = new EventRegistry().registerPackage(SCANNED);

        assertThat(registry.knownTypes()).containsExactly("Cancelled", "Closed", "Opened", "scanned.Deep");
    }

    @Test
    void registers_the_event_classes_of_a_package_inside_a_jar(@TempDir Path dir) throws IOException {
        Path classes = Path.of(EventRegistryTest.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path jar = dir.resolve("events.jar");
        // Directory entries included, as build tools write them: a class loader finds a package in a jar by them.
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes.resolve("dev"))) {
            for (Path file : files.filter(f -> f.startsWith(classes.resolve(SCANNED.replace('.', '/')))
                    || !Files.isRegularFile(f)).toList()) {
                String name = classes.relativize(file).toString().replace('\\', '/');
                out.putNextEntry(new JarEntry(Files.isDirectory(file) ? name + "/" : name));
                if (Files.isRegularFile(file)) {
                    Files.copy(file, out);
                }
                out.closeEntry();
            }
        }
        // Lists the package from the jar only; the classes themselves still come from the test class path.
        try (URLClassLoader jarOnly = new URLClassLoader(new URL[]{jar.toUri().toURL()}, getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                return findResources(name);
            }
        }) {
            assertThat(Collections.list(jarOnly.getResources(SCANNED.replace('.', '/'))))
                    .singleElement().satisfies(url -> assertThat(url.getProtocol()).isEqualTo("jar"));

            EventRegistry registry = new EventRegistry().registerPackage(SCANNED, jarOnly);

            assertThat(registry.knownTypes()).containsExactly("Cancelled", "Closed", "Opened", "scanned.Deep");
        }
    }

    @Test
    void refuses_a_package_without_event_classes_naming_it() {
        assertThatThrownBy(() -> new EventRegistry().registerPackage("dev.eventsource.event.misspelt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dev.eventsource.event.misspelt")
                .hasMessageContaining("No concrete DomainEvent class");
    }

    @Test
    void a_package_with_a_taken_type_name_registers_none_of_its_classes() {
        EventRegistry registry = new EventRegistry().register(Other.OpenedElsewhere.class);

        assertThatThrownBy(() -> registry.registerPackage(SCANNED))
                .isInstanceOf(DuplicateEventTypeException.class)
                .hasMessageContaining("'Opened'");
        assertThat(registry.knownTypes()).containsExactly("Opened");
    }
}
