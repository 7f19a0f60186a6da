package dev.eventsource.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class NotesByTitleTest {

    @TempDir
    Path dir;

    @Test
    void the_projection_counts_notes_per_title_through_catch_up_live_delivery_and_a_rebuild() throws Exception {
        Path db = dir.resolve("notes.db");

        String output = Console.output(() -> NotesByTitle.main(new String[] {db.toString()}));

        assertThat(output).isEqualTo(String.join(System.lineSeparator(),
                "After catch-up: {Meeting Notes=2, Shopping=1}",
                "Live:           {Meeting Notes=2, Shopping=2}",
                "Rebuilt:        {Meeting Notes=2, Shopping=2}",
                "Checkpoint:     4 events processed", ""));
        assertThat(Files.exists(db)).isFalse();
    }
}
