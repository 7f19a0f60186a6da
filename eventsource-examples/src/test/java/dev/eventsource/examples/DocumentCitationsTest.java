package dev.eventsource.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Sources and docs cite documents that are in the repository, so a reader can follow every citation. */
class DocumentCitationsTest {

    private static final Path REPOSITORY = Path.of("..");
    // Split so that this file does not cite it.
    private static final String DANGLING = "SPEC" + " section";

    @Test
    void nothing_cites_the_spec_document_that_is_not_in_the_repository() throws IOException {
        List<Path> citing;
        try (Stream<Path> files = Files.walk(REPOSITORY)) {
            citing = files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".java") || p.toString().endsWith(".md"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .filter(p -> read(p).contains(DANGLING))
                    .toList();
        }

        assertThat(citing).as("files citing \"" + DANGLING + " N\"; cite a section of docs/semantics.md instead").isEmpty();
    }

    @Test
    void the_scan_sees_the_contract_suites() {
        assertThat(REPOSITORY.resolve("eventsource-tck/src/main/java/dev/eventsource/tck/AppendContract.java")).exists();
        assertThat(read(REPOSITORY.resolve("docs/semantics.md"))).contains("## Appending", "## The global log", "## Errors");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
