package dev.eventsource.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QuickstartTest {

    private static final Path SOURCE = Path.of("src/main/java/dev/eventsource/examples/Quickstart.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void prints_the_updated_note_at_version_two() throws Exception {
        String output = Console.output(() -> Quickstart.main(new String[0]));

        assertThat(output).isEqualToIgnoringNewLines("Meeting Notes: Discuss Q4 roadmap and budget (version 2)");
    }

    @Test
    void readme_shows_the_quickstart_source_as_it_is() throws IOException {
        List<String> source = between(Files.readAllLines(SOURCE), "// quickstart:start", "// quickstart:end");
        List<String> readme = Files.exists(README)
                ? between(Files.readAllLines(README), "<!-- quickstart:start -->", "<!-- quickstart:end -->")
                : List.of();

        assertThat(source).as("the quickstart markers in " + SOURCE).isNotEmpty();
        assertThat(readme)
                .as("README.md's block between <!-- quickstart:start --> and <!-- quickstart:end -->, without its"
                        + " ```java fence, must be the lines between the markers in " + SOURCE)
                .isEqualTo(source);
    }

    private static List<String> between(List<String> lines, String start, String end) {
        int from = lines.indexOf(start);
        int to = lines.indexOf(end);
        if (from < 0 || to < from) {
            return List.of();
        }
        return withoutFence(lines.subList(from + 1, to));
    }

    private static List<String> withoutFence(List<String> lines) {
        return lines.stream().filter(l -> !l.startsWith("```")).toList();
    }
}
