package dev.eventsource.migration;

import dev.eventsource.EventSourceException;

import java.util.List;

/** After a copy, the target does not hold what the source holds. */
public class MigrationVerificationException extends EventSourceException {

    private final List<String> problems;

    public MigrationVerificationException(List<String> problems) {
        super("Copy verification failed (" + problems.size() + " problem(s)): "
                + String.join("; ", problems.subList(0, Math.min(10, problems.size()))));
        this.problems = List.copyOf(problems);
    }

    /** Every mismatch found. */
    public List<String> problems() {
        return problems;
    }
}
