package dev.eventsource.backend;

import dev.eventsource.store.spi.RecordedLog;
import dev.eventsource.store.EventImporter;
import dev.eventsource.store.RecordedEventReader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consumers take the store roles they need as parameters; none finds a capability out at run time.
 * Scans the main sources of every module of the build for {@code instanceof} tests and casts on
 * store, role, sibling-store and backend types, so that reintroducing one (which makes a decorated
 * store silently lose that feature) fails the build, naming the file and line.
 */
class NoCapabilityDiscoveryTest {

    /** The store, role and backend types that must never be tested or cast for in main code. */
    private static final String TYPES = String.join("|", List.of(
            "EventStore", "AbstractEventStore", "InMemoryEventStore", "SQLiteEventStore", "PostgreSQLEventStore",
            "EventAppender", "StreamReader", "EventLogReader", "EventLookup",
            "EventImporter", "RecordedEventReader", "RecordedLog", "StorageCheck",
            "SnapshotStore", "CheckpointStore", "TransactionalCheckpointStore", "DeadLetterStore", "AppendNotifier",
            "EventStoreBackend", "InMemoryBackend", "SQLiteBackend", "PostgreSQLBackend"));

    private static final Pattern INSTANCEOF = Pattern.compile("\\binstanceof\\s+(?:final\\s+)?(?:[\\w.]+\\.)?(" + TYPES + ")\\b");
    private static final Pattern CAST = Pattern.compile("\\(\\s*(?:[\\w.]+\\.)?(" + TYPES + ")\\s*\\)\\s*[\\w(]");
    private static final Pattern BLOCK_COMMENT = Pattern.compile("/\\*.*?\\*/", Pattern.DOTALL);

    @Test
    void no_main_source_tests_or_casts_for_a_store_capability() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> sources = mainSources(root);
        List<String> found = new ArrayList<>();
        for (Path file : sources) {
            found.addAll(capabilityChecks(root, file));
        }

        assertThat(sources).as("main sources scanned").hasSizeGreaterThan(100);
        assertThat(found).as("instanceof tests and casts on store capability types in main code; take the role"
                + " as a parameter instead (see docs/adr/0002-backend-bundle-and-roles.md)").isEmpty();
    }

    @Test
    void the_scan_recognises_what_it_forbids_and_passes_what_it_allows() {
        assertThat(hits("if (store instanceof AbstractEventStore local) {")).isEqualTo(1);
        assertThat(hits("return ((TransactionalCheckpointStore) checkpoints).saveInTransaction(null, work);")).isEqualTo(1);
        assertThat(hits("var pg = (dev.eventsource.postgresql.PostgreSQLEventStore) store;")).isEqualTo(1);
        assertThat(hits("if (e instanceof EventStoreBusyException) {")).isZero();
        assertThat(hits("public static Builder builder(EventStore store) {")).isZero();
        assertThat(hits("/** see {@link #builder(EventStore)} and (EventStore) casts */")).isZero();
    }

    /**
     * The main Java sources of every module of the build ({@code root} is its root) except the TCK:
     * its suites are tests shipped as a library, and a suite may demand of the store under test a
     * role beyond {@code EventStore} (an importer, to plant rows) by casting to it.
     */
    private static List<Path> mainSources(Path root) throws IOException {
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : (Iterable<Path>) modules.filter(m -> Files.isDirectory(m.resolve("src/main/java")))
                    .filter(m -> !m.getFileName().toString().equals("eventsource-tck")).sorted()::iterator) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
                }
            }
        }
        return sources;
    }

    private static List<String> capabilityChecks(Path root, Path file) throws IOException {
        String text = withoutComments(Files.readString(file));
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (hits(lines[i]) > 0) {
                found.add(root.relativize(file) + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        return found;
    }

    private static int hits(String line) {
        String code = withoutComments(line);
        int count = 0;
        for (Matcher m = INSTANCEOF.matcher(code); m.find(); ) {
            count++;
        }
        for (Matcher m = CAST.matcher(code); m.find(); ) {
            count++;
        }
        return count;
    }

    /** The text with comments blanked out, line breaks kept so that line numbers stay true. */
    private static String withoutComments(String text) {
        Matcher blocks = BLOCK_COMMENT.matcher(text);
        StringBuilder out = new StringBuilder();
        while (blocks.find()) {
            blocks.appendReplacement(out, Matcher.quoteReplacement(blocks.group().replaceAll("[^\n]", " ")));
        }
        blocks.appendTail(out);
        return out.toString().replaceAll("(?m)//.*$", "");
    }
}
