package dev.eventsource.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Facts about the sources of the whole reactor that a reviewer would otherwise check by grep:
 * each fails, naming the files, when someone writes the duplicate again.
 */
class SourceRulesTest {

    private static final Pattern INTERNAL_IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?(dev\\.eventsource\\.[\\w.]*?\\.internal)\\.",
            Pattern.MULTILINE);
    private static final Pattern ENSURE_SCHEMA = Pattern.compile("\\bensureSchema\\s*\\(\\s*\\)\\s*(?:throws[^{]*)?\\{");

    private final Path root = reactorRoot();

    @Test
    void no_module_imports_the_internal_package_of_another_module() {
        assertThat(internalImportsAcrossModules(root))
                .as("Types in an .internal package are not part of their module's API; use the module's public API, or"
                        + " move the code into the module that owns the package")
                .isEmpty();
    }

    @Test
    void the_internal_imports_rule_sees_a_benchmark_that_imports_a_backends_internals(@TempDir Path tree) throws IOException {
        write(tree.resolve("eventsource-sqlite/src/main/java/dev/eventsource/sqlite/internal/EventQueries.java"),
                "package dev.eventsource.sqlite.internal;");
        write(tree.resolve("eventsource-sqlite/src/test/java/dev/eventsource/sqlite/OwnTest.java"),
                "package dev.eventsource.sqlite;\nimport dev.eventsource.sqlite.internal.EventQueries;");
        write(tree.resolve("eventsource-benchmarks/src/main/java/dev/eventsource/benchmarks/Raw.java"),
                "package dev.eventsource.benchmarks;\nimport dev.eventsource.sqlite.internal.EventQueries;");

        assertThat(internalImportsAcrossModules(tree)).singleElement().asString()
                .contains("eventsource-benchmarks").contains("dev.eventsource.sqlite.internal");
    }

    @Test
    void the_lazy_schema_bootstrap_of_the_backends_side_stores_is_written_once() {
        List<String> declarations = new ArrayList<>();
        for (Path file : javaFiles(root, "src/main/java")) {
            Matcher m = ENSURE_SCHEMA.matcher(read(file));
            while (m.find()) {
                declarations.add(root.relativize(file).toString());
            }
        }
        assertThat(declarations)
                .as("ensureSchema() belongs in JdbcAccess alone; a backend store calls it instead of writing its own")
                .containsExactly("eventsource-jdbc/src/main/java/dev/eventsource/jdbc/JdbcAccess.java");
    }

    @Test
    void each_sql_backend_lists_the_events_columns_in_one_place() {
        // Every full list of the events table's columns names recorded_at; so, outside the schema's DDL, one mention per backend.
        assertThat(mentions("eventsource-sqlite", "recorded_at"))
                .as("the SQLite statements build their column lists from EventQueries' one list")
                .containsExactly("eventsource-sqlite/src/main/java/dev/eventsource/sqlite/internal/EventQueries.java");
        assertThat(mentions("eventsource-postgresql", "recorded_at"))
                .as("the PostgreSQL statements build their column lists from EventsTable's one list")
                .containsExactly("eventsource-postgresql/src/main/java/dev/eventsource/postgresql/internal/EventsTable.java");
    }

    /** Files of {@code module}'s main sources (except the DDL in Schema.java), once per mention of {@code word}. */
    private List<String> mentions(String module, String word) {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(root.resolve(module), "src/main/java")) {
            if (file.getFileName().toString().equals("Schema.java")) {
                continue;
            }
            Matcher m = Pattern.compile("\\b" + word + "\\b").matcher(read(file));
            while (m.find()) {
                found.add(root.relativize(file).toString());
            }
        }
        return found;
    }

    /** "module: file imports package" for every import of an .internal package that the importing module does not own. */
    static List<String> internalImportsAcrossModules(Path root) {
        List<String> violations = new ArrayList<>();
        for (Path module : modules(root)) {
            for (String sources : List.of("src/main/java", "src/test/java")) {
                for (Path file : javaFiles(module, sources)) {
                    Matcher m = INTERNAL_IMPORT.matcher(read(file));
                    while (m.find()) {
                        String pkg = m.group(1);
                        if (!Files.isDirectory(module.resolve("src/main/java").resolve(pkg.replace('.', '/')))) {
                            violations.add(module.getFileName() + ": " + module.relativize(file) + " imports " + pkg);
                        }
                    }
                }
            }
        }
        return violations;
    }

    private static List<Path> modules(Path root) {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).filter(d -> d.getFileName().toString().startsWith("eventsource-")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path base, String sources) {
        List<Path> files = new ArrayList<>();
        List<Path> dirs = base.resolve(sources).toFile().isDirectory() ? List.of(base.resolve(sources))
                : modules(base).stream().map(m -> m.resolve(sources)).filter(Files::isDirectory).toList();
        for (Path dir : dirs) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.filter(f -> f.toString().endsWith(".java")).sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** The folder of the reactor's pom, found upwards from the module the test runs in. */
    private static Path reactorRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && read(pom).contains("<module>eventsource-jdbc</module>")) {
                return dir;
            }
        }
        throw new IllegalStateException("no reactor pom.xml listing eventsource-jdbc above " + Path.of("").toAbsolutePath()
                + "; run this test from the eventsource-java checkout");
    }
}
