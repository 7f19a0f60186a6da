import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a new Maven project that follows only README.md's "Use it in your project": the README's
 * Maven snippet (BOM import and dependencies) as its POM, the README's quickstart as its program
 * and the README's "Testing your application" test as its test. Run by .ci/fresh-project.
 *
 * <p>Usage: {@code java .ci/FreshProject.java <repository root> <project dir>}. Fails, naming the
 * README section, when a snippet is missing. Plugin versions are pinned to the root POM's so the
 * build needs nothing the repository's own build did not fetch.
 */
public class FreshProject {

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args[0]);
        Path app = Path.of(args[1]);
        String readme = Files.readString(root.resolve("README.md"));
        String rootPom = Files.readString(root.resolve("pom.xml"));

        String use = section(readme, "## Use it in your project");
        String xml = block(use, "xml", "## Use it in your project");
        String plugins = "";
        for (String plugin : List.of("maven-compiler-plugin", "maven-surefire-plugin", "maven-resources-plugin",
                "maven-jar-plugin", "maven-install-plugin")) {
            plugins += "      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>" + plugin
                    + "</artifactId><version>" + pluginVersion(rootPom, plugin) + "</version></plugin>\n";
        }
        String pom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>com.example</groupId>
                  <artifactId>fresh-app</artifactId>
                  <version>1.0</version>
                  <properties>
                    <maven.compiler.release>17</maven.compiler.release>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                  </properties>
                %s
                  <dependencies>
                    <!-- the application's own assertion library (the README's test uses assertThat) -->
                    <dependency><groupId>org.assertj</groupId><artifactId>assertj-core</artifactId><version>%s</version><scope>test</scope></dependency>
                  </dependencies>
                  <build><pluginManagement><plugins>
                %s  </plugins></pluginManagement></build>
                </project>
                """.formatted(xml.replace("<dependencies>\n", "<dependencies>\n  <!-- from README.md -->\n"),
                property(rootPom, "assertj.version"), plugins);
        // The README's snippet holds its own <dependencies>; merge ours into it.
        pom = pom.replaceFirst("(?s)</dependencies>\\s*<dependencies>\\s*", "")
                .replace("</dependencies>\n  <dependencies>", "");
        Files.createDirectories(app);
        Files.writeString(app.resolve("pom.xml"), pom);

        String quickstart = between(readme, "<!-- quickstart:start -->", "<!-- quickstart:end -->", "the quickstart block");
        quickstart = quickstart.replaceAll("(?m)^```.*$", "");
        int run = quickstart.indexOf("try (");
        if (run < 0) {
            throw new IllegalStateException("README.md's quickstart has no 'try (' block to run");
        }
        Path main = app.resolve("src/main/java/com/example");
        Files.createDirectories(main);
        Files.writeString(main.resolve("Quickstart.java"), """
                package com.example;

                import dev.eventsource.aggregate.AggregateRepository;
                import dev.eventsource.aggregate.AggregateRoot;
                import dev.eventsource.event.DomainEvent;
                import dev.eventsource.sqlite.SQLiteEventStore;
                import java.util.UUID;

                public class Quickstart {
                %s
                    public static void main(String[] args) throws Exception {
                %s
                    }
                }
                """.formatted(quickstart.substring(0, run), quickstart.substring(run)));

        String testing = section(readme, "## Testing your application");
        String test = block(testing, "java", "## Testing your application");
        Path tests = app.resolve("src/test/java/com/example");
        Files.createDirectories(tests);
        Files.writeString(tests.resolve("NoteTest.java"), """
                package com.example;

                import com.example.Quickstart.NoteAggregate;
                import com.example.Quickstart.NoteCreated;
                import com.example.Quickstart.NoteUpdated;
                import dev.eventsource.aggregate.AggregateRepository;
                import dev.eventsource.test.Aggregate;
                import dev.eventsource.test.AggregateScenario;
                import dev.eventsource.test.Backend;
                import dev.eventsource.test.EventStoreTest;
                import org.junit.jupiter.api.Test;
                import java.util.UUID;
                import static org.assertj.core.api.Assertions.assertThat;

                %s
                """.formatted(test));
        Path runs = tests.resolve("QuickstartRunsTest.java");
        Files.writeString(runs, """
                package com.example;

                import org.junit.jupiter.api.Test;
                import java.io.ByteArrayOutputStream;
                import java.io.PrintStream;
                import static org.assertj.core.api.Assertions.assertThat;

                class QuickstartRunsTest {
                    @Test
                    void the_quickstart_prints_the_note_at_version_two() throws Exception {
                        PrintStream out = System.out;
                        ByteArrayOutputStream printed = new ByteArrayOutputStream();
                        System.setOut(new PrintStream(printed, true));
                        try {
                            Quickstart.main(new String[0]);
                        } finally {
                            System.setOut(out);
                        }
                        assertThat(printed.toString()).contains("content=Discuss Q4 roadmap and budget] at version 2");
                    }
                }
                """);
        System.out.println("fresh project written to " + app);
    }

    private static String section(String text, String heading) {
        int start = text.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new IllegalStateException("README.md has no section '" + heading + "'");
        }
        int end = text.indexOf("\n## ", start + heading.length() + 2);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static String block(String section, String language, String where) {
        Matcher m = Pattern.compile("(?s)```" + language + "\\n(.*?)```").matcher(section);
        if (!m.find()) {
            throw new IllegalStateException("README.md's section '" + where + "' has no ```" + language + " block");
        }
        return m.group(1);
    }

    private static String between(String text, String start, String end, String what) {
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException("README.md has no " + what + " (between " + start + " and " + end + ")");
        }
        return text.substring(from + start.length(), to);
    }

    private static String pluginVersion(String pom, String artifactId) {
        Matcher m = Pattern.compile("(?s)<artifactId>" + artifactId + "</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException("the root pom.xml pins no version of " + artifactId);
        }
        return m.group(1);
    }

    private static String property(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(pom);
        if (!m.find()) {
            throw new IllegalStateException("the root pom.xml has no property " + name);
        }
        return m.group(1);
    }
}
