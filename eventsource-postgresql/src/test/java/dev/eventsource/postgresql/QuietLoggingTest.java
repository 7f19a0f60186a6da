package dev.eventsource.postgresql;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.test.PostgresTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with no SLF4J provider, which opens a PostgreSQL store, appends and reads, prints
 * nothing on stderr: not SLF4J's "No SLF4J providers were found" notice that the store's pool
 * (HikariCP logs through SLF4J) would otherwise cause.
 */
class QuietLoggingTest {

    /** Jars that would give SLF4J a provider; the child runs without them, as a plain application would. */
    private static final List<String> PROVIDERS = List.of("logback-classic", "slf4j-simple", "slf4j-nop", "slf4j-jdk14",
            "slf4j-reload4j", "log4j-slf4j2-impl");

    public record Noted(String text) implements DomainEvent {
    }

    @Test
    void a_store_in_an_application_without_an_slf4j_provider_prints_nothing(@TempDir Path dir) throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> PROVIDERS.stream().noneMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
        Path stderr = dir.resolve("stderr.txt");
        Path stdout = dir.resolve("stdout.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, QuietLoggingTest.class.getName(), PostgresTestServer.url(), PostgresTestServer.freshSchema())
                .redirectError(stderr.toFile())
                .redirectOutput(stdout.toFile())
                .start();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the child finished").isTrue();
        assertThat(Files.readString(stdout)).as("the child's stdout (stderr: %s)", Files.readString(stderr))
                .contains("read 1 event");
        assertThat(child.exitValue()).isZero();
        assertThat(Files.readString(stderr)).isEmpty();
    }

    /** The child: opens a store on the URL and schema given, appends one event and reads it back. */
    public static void main(String[] args) {
        EventRegistry registry = new EventRegistry();
        registry.register(Noted.class);
        try (PostgreSQLEventStore store = PostgreSQLEventStore.builder(args[0]).schema(args[1]).eventRegistry(registry).build()) {
            UUID id = UUID.randomUUID();
            store.appendEvents(id, "Note", List.of(new Noted("hello")), ExpectedVersion.NO_STREAM);
            System.out.println("read " + store.getEvents(id, "Note").events().size() + " event");
        }
    }
}
