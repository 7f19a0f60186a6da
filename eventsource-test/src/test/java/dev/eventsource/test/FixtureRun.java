package dev.eventsource.test;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherFactory;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * Runs a fixture test class on the JUnit Platform and keeps each test's result, so that tests can
 * check what the extension does to tests that misuse it.
 */
final class FixtureRun {

    private static final String RUNNING = "dev.eventsource.test.fixture-run";

    private final Map<String, TestExecutionResult> results = new LinkedHashMap<>();

    /**
     * Marks a fixture class. Fixtures are meant to fail; run directly (say by a broad
     * {@code -Dtest} pattern) they are skipped instead.
     */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @ExtendWith(OnlyInFixtureRun.class)
    @interface Fixture {
    }

    static final class OnlyInFixtureRun implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUNNING).isPresent()
                    ? ConditionEvaluationResult.enabled("run by FixtureRun")
                    : ConditionEvaluationResult.disabled("a fixture, run by FixtureRun only");
        }
    }

    static FixtureRun of(Class<?> fixture) {
        FixtureRun run = new FixtureRun();
        var request = request().selectors(selectClass(fixture)).configurationParameter(RUNNING, "true").build();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                // A container fails on its own when, say, a @BeforeAll parameter cannot be resolved.
                if (id.isTest() || result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    run.results.put(id.getDisplayName().replaceAll("\\(.*", ""), result);
                }
            }
        });
        return run;
    }

    /** The failure of the one test (or container) that ran, asserting that it failed. */
    Throwable onlyFailure() {
        if (results.size() != 1) {
            throw new AssertionError("expected one test, ran " + results);
        }
        TestExecutionResult result = results.values().iterator().next();
        return result.getThrowable().orElseThrow(() -> new AssertionError("expected the fixture test to fail; it passed"));
    }

    Map<String, TestExecutionResult.Status> statuses() {
        Map<String, TestExecutionResult.Status> statuses = new LinkedHashMap<>();
        results.forEach((name, result) -> statuses.put(name, result.getStatus()));
        return statuses;
    }
}
