package dev.eventsource.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class Tutorial12Test {

    @TempDir
    Path directory;

    @Test
    void runs_every_demo_in_the_tutorials_order() throws Exception {
        String output = Console.output(() -> Tutorial12.main(new String[]{directory.resolve("notes.db").toString()}));

        assertThat(output).containsSubsequence("=== In-Memory SQLite Demo ===", "=== File-Based SQLite Demo ===",
                "=== Configuration Options Demo ===", "=== Test Fixture Pattern ===", "Test cleanup complete");
    }

    @Test
    void updates_a_note_in_memory() throws Exception {
        String output = Console.output(Tutorial12::inMemoryDemo);

        assertThat(output).contains("Created note: Meeting Notes", "Updated note: Updated: Discuss Q4 roadmap and budget",
                "Version: 2");
    }

    @Test
    void reloads_a_note_from_a_reopened_file_then_deletes_the_file_and_its_companions() throws Exception {
        Path database = directory.resolve("notes.db");

        String output = Console.output(() -> Tutorial12.fileBasedDemo(database));

        assertThat(output).contains("Note saved to " + database, "Database file exists: true",
                "Reopened and loaded: Development Notes", "Cleaned up database files");
        try (var left = Files.list(directory)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void prints_the_default_and_the_custom_configuration() throws Exception {
        String output = Console.output(Tutorial12::configurationDemo);

        assertThat(output).contains("Database: :memory:", "WAL mode: false", "Busy timeout: 5000ms", "Connected: true",
                "Custom WAL mode: false", "Custom busy timeout: 10000ms");
    }

    @Test
    void creates_a_note_the_way_a_test_fixture_would() throws Exception {
        String output = Console.output(Tutorial12::testFixturePattern);

        assertThat(output).contains("Test infrastructure created successfully", "Note created with version: 1");
    }
}
