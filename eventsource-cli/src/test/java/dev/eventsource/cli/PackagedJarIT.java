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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(false).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        return new Run(process.waitFor(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
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
    void draws_no_progress_bar_when_stderr_is_not_a_terminal() throws Exception {
        java("demo");

        Run export = java("export", "--out", "notes.jsonl");

        assertThat(export.exitCode()).isZero();
        assertThat(export.err()).isEmpty();
        assertThat(dir.resolve("notes.jsonl")).content().hasLineCount(2);
    }
}
