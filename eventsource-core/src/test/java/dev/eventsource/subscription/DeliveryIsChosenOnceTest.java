package dev.eventsource.subscription;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the main sources of this package (comments and string literals left out) to pin that a
 * subscription's kind of handler is decided once, by the manager, as a {@link Delivery}: the loop
 * in {@link Subscription} never asks which kind it has and never casts to reach a transactional part.
 */
class DeliveryIsChosenOnceTest {

    private static final Path PACKAGE = Path.of("src/main/java/dev/eventsource/subscription");

    private static final Pattern CAST_TO_TRANSACTIONAL =
            Pattern.compile("\\(\\s*Transactional(CheckpointStore|Projection)\\s*\\)");
    private static final Pattern INSTANCEOF_ON_A_DELIVERY_MODE =
            Pattern.compile("instanceof\\s+(TransactionalCheckpointStore|TransactionalProjection|PlainDelivery"
                    + "|TransactionalDelivery|Delivery)\\b");
    private static final Pattern KIND_OF_HANDLER = Pattern.compile("\\b(Subscriber|Projection|TransactionalProjection"
            + "|TransactionalCheckpointStore|PlainDelivery|TransactionalDelivery)\\b");
    private static final Pattern DELIVERY_CREATED = Pattern.compile("new\\s+(PlainDelivery|TransactionalDelivery)\\s*\\(");

    @Test
    void no_main_code_of_the_package_casts_to_a_transactional_type() throws IOException {
        sources().forEach((file, code) -> assertThat(find(CAST_TO_TRANSACTIONAL, code))
                .as("casts in %s; take a typed TransactionalDelivery instead", file).isEmpty());
    }

    @Test
    void the_subscription_loop_uses_no_instanceof_and_names_no_kind_of_handler() throws IOException {
        String loop = sources().get("Subscription.java");

        assertThat(find(Pattern.compile("\\binstanceof\\b"), loop)).as("instanceof in Subscription.java").isEmpty();
        assertThat(find(KIND_OF_HANDLER, loop))
                .as("Subscription.java must see handlers only through Delivery; what differs goes into a Delivery")
                .isEmpty();
    }

    @Test
    void the_delivery_is_chosen_only_where_the_manager_registers_a_subscription() throws IOException {
        Map<String, String> sources = sources();
        sources.forEach((file, code) -> {
            List<String> modeChecks = find(INSTANCEOF_ON_A_DELIVERY_MODE, code);
            List<String> created = find(DELIVERY_CREATED, code);
            if (file.equals("SubscriptionManager.java")) {
                assertThat(modeChecks).as("the one check that a TransactionalProjection has a transactional store")
                        .allMatch("instanceof TransactionalCheckpointStore"::equals).hasSizeLessThanOrEqualTo(1);
                assertThat(created).containsExactlyInAnyOrder("new PlainDelivery(", "new TransactionalDelivery(");
            } else {
                assertThat(modeChecks).as("delivery mode checked with instanceof in %s", file).isEmpty();
                assertThat(created).as("a delivery chosen in %s rather than at subscribe time", file).isEmpty();
            }
        });
    }

    @Test
    void the_scan_sees_code_but_not_comments_or_strings() {
        String code = codeOnly("""
                /** (TransactionalCheckpointStore) in Javadoc */ int a = 1; // instanceof Delivery
                String s = "(TransactionalProjection) \\" instanceof Delivery"; char c = '"';
                Object o = (TransactionalCheckpointStore) x;
                """);

        assertThat(find(CAST_TO_TRANSACTIONAL, code)).containsExactly("(TransactionalCheckpointStore)");
        assertThat(find(INSTANCEOF_ON_A_DELIVERY_MODE, code)).isEmpty();
    }

    /** Every main source file of the package by file name, as code without comments and string contents. */
    private static Map<String, String> sources() throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(PACKAGE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                sources.put(file.getFileName().toString(), codeOnly(Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        assertThat(sources).as("sources of the package under %s", PACKAGE.toAbsolutePath())
                .containsKeys("Subscription.java", "SubscriptionManager.java", "Delivery.java");
        return sources;
    }

    private static List<String> find(Pattern pattern, String code) {
        Matcher m = pattern.matcher(code);
        return m.results().map(r -> r.group()).toList();
    }

    /** The source with comments removed and string and char literals emptied, so that prose cannot match. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? source.length() : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
