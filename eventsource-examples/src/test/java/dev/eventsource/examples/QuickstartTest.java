package dev.eventsource.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuickstartTest {

    private static final Path SOURCE = Path.of("src/main/java/dev/eventsource/examples/Quickstart.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void prints_the_updated_note_at_version_two() throws Exception {
        String output = Console.output(() -> Quickstart.main(new String[0]));

        assertThat(output).matches("NoteState\\[noteId=[-0-9a-f]{36}, title=Meeting Notes,"
                + " content=Discuss Q4 roadmap and budget] at version 2\\R");
    }

    /**
     * The README's code block (between {@code <!-- quickstart:start -->} and
     * {@code <!-- quickstart:end -->}, without its fence) is the source's marked regions, each
     * taken out of its indentation, joined by one blank line.
     */
    @Test
    void readme_shows_the_quickstart_source_as_it_is() throws IOException {
        List<String> source = regions(Files.readAllLines(SOURCE), "// quickstart:start", "// quickstart:end");
        List<String> readme = regions(Files.readAllLines(README), "<!-- quickstart:start -->", "<!-- quickstart:end -->")
                .stream().filter(line -> !line.startsWith("```")).toList();

        assertThat(source).as("the quickstart regions of " + SOURCE).isNotEmpty();
        assertThat(String.join("\n", readme)).as("README.md's quickstart block").isEqualTo(String.join("\n", source));
    }

    private static List<String> regions(List<String> lines, String start, String end) {
        List<String> joined = new ArrayList<>();
        List<String> region = null;
        for (String line : lines) {
            if (line.strip().equals(start)) {
                region = new ArrayList<>();
            } else if (line.strip().equals(end) && region != null) {
                if (!joined.isEmpty()) {
                    joined.add("");
                }
                joined.addAll(dedent(region));
                region = null;
            } else if (region != null) {
                region.add(line);
            }
        }
        return joined;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
    }
}
