package dev.eventsource.tck;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A contract suite must not be able to skip: no class of the TCK refers to JUnit or AssertJ
 * assumptions, to {@code @Disabled}, or to conditional execution. The check reads the compiled
 * classes' constant pools, so it also catches fully qualified and static-imported uses.
 */
class NoSuiteCanSkipTest {

    private static final List<String> SKIPPING = List.of(
            "org/junit/jupiter/api/Assumptions",
            "org/junit/jupiter/api/Disabled",
            "org/junit/jupiter/api/condition/",
            "org/junit/Assume",
            "org/opentest4j/TestAbortedException",
            "org/assertj/core/api/Assumptions",
            "org/assertj/core/api/BDDAssumptions");

    @Test
    void no_tck_class_refers_to_assumptions_disabled_or_conditions() {
        List<String> offenders = new ArrayList<>();
        for (Map.Entry<String, byte[]> c : TckClasses.classFiles().entrySet()) {
            String constants = new String(c.getValue(), StandardCharsets.ISO_8859_1);
            SKIPPING.stream().filter(constants::contains).forEach(s -> offenders.add(c.getKey() + " -> " + s));
        }

        assertThat(offenders).isEmpty();
    }

    @Test
    void the_scan_reads_the_compiled_suites() {
        Map<String, byte[]> classes = TckClasses.classFiles();

        assertThat(classes).containsKeys(AppendContract.class.getName(), ReopenContract.class.getName());
        assertThat(new String(classes.get(AppendContract.class.getName()), StandardCharsets.ISO_8859_1))
                .contains("org/junit/jupiter/api/Test");
    }
}
