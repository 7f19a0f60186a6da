package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code target/eventsource.jar}, the executable jar the launcher script runs, as a real
 * process: its manifest, its merged ServiceLoader files, its exit codes and its streams.
 */
class PackagedJarIT {

    private static final Path JAR = Path.of("target", "eventsource.jar").toAbsolutePath();

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    private Run java(String... args) throws IOException, InterruptedException {
        return run(List.of(), args);
    }

    /**
     * Runs the jar as a process that file permissions apply to. Root ignores them unless it drops
     * the capabilities that override them, which {@code setpriv} does (when it is installed);
     * any other user is bound by them anyway.
     */
    private Run javaBoundByPermissions(String... args) throws IOException, InterruptedException {
        return run(boundByPermissions(), args);
    }

    private static List<String> boundByPermissions() {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path setpriv = Path.of("/usr/bin/setpriv");
        return root && java.nio.file.Files.isExecutable(setpriv)
                ? List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search",
                        "--inh-caps=-dac_override,-dac_read_search", "--")
                : List.of();
    }

    private Run run(List<String> prefix, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(false).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        return new Run(process.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /**
     * Runs the repository's {@code ./eventsource} launcher on a copy of the jar in {@code jarFolder}
     * (through {@code EVENTSOURCE_JAR}), with this JVM's {@code java} first on the path.
     */
    private Run launcher(Path jarFolder, String... args) throws IOException, InterruptedException {
        return launcher(List.of(), jarFolder, args);
    }

    private Run launcher(List<String> prefix, Path jarFolder, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("..", "eventsource").toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(prefix);
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("EVENTSOURCE_JAR", jarFolder.resolve("eventsource.jar").toString());
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
                + System.getenv("PATH"));
        Process process = builder.start();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        return new Run(process.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static List<Path> archives(Path folder) throws IOException {
        try (var files = java.nio.file.Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    @Test
    void the_launcher_prints_what_the_jar_prints_and_keeps_a_class_archive_beside_it() throws Exception {
        Path folder = java.nio.file.Files.createDirectory(dir.resolve("tool"));
        java.nio.file.Files.copy(JAR, folder.resolve("eventsource.jar"));
        assertThat(java("demo").exitCode()).isZero();
        Run plain = java("stats", "sqlite:./eventsource.db");

        Run first = launcher(folder, "stats", "sqlite:./eventsource.db");
        List<Path> made = archives(folder);
        java.nio.file.attribute.FileTime written = made.isEmpty() ? null : java.nio.file.Files.getLastModifiedTime(made.get(0));
        Run second = launcher(folder, "stats", "sqlite:./eventsource.db");
        Run failing = launcher(folder, "verify", "sqlite:./nothing-here.db");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).as("the run that records the archive").isEqualTo(plain.out());
        assertThat(first.err()).isEmpty();
        assertThat(made).as("one archive, for this JDK").hasSize(1);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).as("a run that maps the archive").isEqualTo(plain.out());
        assertThat(second.err()).isEmpty();
        assertThat(archives(folder)).isEqualTo(made);
        assertThat(java.nio.file.Files.getLastModifiedTime(made.get(0))).as("not written again").isEqualTo(written);
        assertThat(failing.exitCode()).as("the jar's exit code comes through").isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(failing.err().lines().toList()).hasSize(1);
    }

    @Test
    void the_launcher_runs_a_jar_whose_folder_is_not_writable_without_an_archive() throws Exception {
        Path folder = java.nio.file.Files.createDirectory(dir.resolve("readonly-tool"));
        java.nio.file.Files.copy(JAR, folder.resolve("eventsource.jar"));
        java.nio.file.Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Run run = launcher(boundByPermissions(), folder, "--version");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).isEqualTo(java("--version").out());
            assertThat(run.err()).isEmpty();
            assertThat(archives(folder)).isEmpty();
        } finally {
            java.nio.file.Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void the_demo_writes_the_default_sqlite_file_in_the_working_directory_and_stats_reads_it() throws Exception {
        Run demo = java("demo");
        Run stats = java("stats", "sqlite:./eventsource.db");

        assertThat(demo.exitCode()).as(demo.err()).isZero();
        assertThat(demo.err()).as("nothing but the demo's own output, on any Java version").isEmpty();
        assertThat(demo.out()).contains("version = 2", "eventsource stats sqlite:./eventsource.db");
        assertThat(dir.resolve("eventsource.db")).exists();
        assertThat(stats.exitCode()).as(stats.err()).isZero();
        assertThat(stats.out()).containsPattern("Events\\s+2 \\(positions 1 to 2\\)").containsPattern("NoteCreated\\s+1");
    }

    @Test
    void a_missing_store_exits_with_code_3_and_one_line_on_stderr() throws Exception {
        Run run = java("verify", "sqlite:./nothing-here.db");

        assertThat(run.exitCode()).isEqualTo(ExitCode.STORE_UNAVAILABLE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).hasSize(1);
        assertThat(run.err()).startsWith("eventsource: error: no SQLite file at ");
        assertThat(dir.resolve("nothing-here.db")).doesNotExist();
    }

    @Test
    void a_schema_upgrade_is_one_line_on_stderr_and_quiet_keeps_it_off() throws Exception {
        for (String name : List.of("old.db", "old-quiet.db")) {
            try (var in = getClass().getResourceAsStream("/fixtures/layout-v3.db")) {
                java.nio.file.Files.copy(in, dir.resolve(name));
            }
        }

        Run upgraded = java("init", "sqlite:./old.db");
        Run quiet = java("init", "sqlite:./old-quiet.db", "-q");

        assertThat(upgraded.exitCode()).as(upgraded.toString()).isZero();
        // java.util.logging's own console format would be two lines: a timestamp and logger, then "INFO: ...".
        assertThat(upgraded.err().lines().toList()).as(upgraded.err()).singleElement().asString()
                .startsWith("eventsource: upgraded the event store schema of SQLite database ")
                .matches(".* from version 3 to \\d+");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.err()).isEmpty();
    }

    @Test
    void draws_no_progress_bar_when_stderr_is_not_a_terminal() throws Exception {
        java("demo");

        Run export = java("export", "--out", "notes.jsonl");

        assertThat(export.exitCode()).isZero();
        assertThat(export.err()).isEmpty();
        assertThat(dir.resolve("notes.jsonl")).content().hasLineCount(2);
    }

    @Test
    void stats_verify_and_export_inspect_a_store_whose_file_and_folder_are_not_writable() throws Exception {
        Path folder = java.nio.file.Files.createDirectory(dir.resolve("readonly"));
        Path db = folder.resolve("notes.db");
        assertThat(java("demo", "sqlite:" + db).exitCode()).isZero();
        byte[] before = java.nio.file.Files.readAllBytes(db);
        java.nio.file.Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        java.nio.file.Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Run refused = javaBoundByPermissions("init", "sqlite:" + db);
            Run stats = javaBoundByPermissions("stats", "sqlite:" + db);
            Run verify = javaBoundByPermissions("verify", "sqlite:" + db);
            Run export = javaBoundByPermissions("export", "sqlite:" + db, "--out", "-");

            assertThat(refused.exitCode()).as("writing is refused, so the permissions really apply: " + refused.err()).isNotZero();
            assertThat(stats.exitCode()).as(stats.err()).isZero();
            assertThat(stats.out()).containsPattern("Events\\s+2 \\(positions 1 to 2\\)");
            assertThat(verify.exitCode()).as(verify.err()).isZero();
            assertThat(verify.out()).startsWith("OK: 2 events");
            assertThat(export.exitCode()).as(export.err()).isZero();
            assertThat(export.out().lines()).hasSize(2);
            assertThat(java.nio.file.Files.readAllBytes(db)).isEqualTo(before);
        } finally {
            java.nio.file.Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
