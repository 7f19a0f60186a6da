package dev.eventsource.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Export and import across storage layouts: {@code fixtures/layout-v3.db} was written, and
 * {@code fixtures/layout-v3.jsonl} exported from it, by the code of schema version 3 (ids as text);
 * this code reads and writes the current layout.
 */
class LayoutRoundTripTest {

    @TempDir
    Path dir;

    private Path resource(String name) throws Exception {
        Path copy = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/fixtures/" + name)) {
            Files.copy(in, copy);
        }
        return copy;
    }

    @Test
    void an_export_of_the_old_layout_imports_into_a_new_store_and_exports_identically() throws Exception {
        Path oldExport = resource("layout-v3.jsonl");
        String target = Cli.sqliteUrl(dir, "new.db");
        Path newExport = dir.resolve("new.jsonl");

        Cli.Result imported = Cli.run("import", target, "--in", oldExport.toString());
        Cli.Result exported = Cli.run("export", target, "--out", newExport.toString());

        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        List<String> lines = Files.readAllLines(oldExport);
        assertThat(lines).hasSize(12);
        assertThat(Files.readAllLines(newExport)).containsExactlyElementsOf(lines);
    }

    @Test
    void a_store_of_the_old_layout_upgraded_in_place_exports_what_the_old_code_exported() throws Exception {
        Path db = resource("layout-v3.db");
        String url = "sqlite:" + db;
        Path export = dir.resolve("upgraded.jsonl");

        Cli.Result refused = Cli.run("export", url, "--out", export.toString());
        Cli.Result upgraded = Cli.run("init", url);
        Cli.Result exported = Cli.run("export", url, "--out", export.toString());

        // Read commands open read-only and never upgrade; they say how to.
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).contains("Open it writable once to upgrade it");
        assertThat(upgraded.exitCode()).as(upgraded.toString()).isZero();
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(Files.readAllLines(export)).containsExactlyElementsOf(Files.readAllLines(resource("layout-v3.jsonl")));
    }
}
