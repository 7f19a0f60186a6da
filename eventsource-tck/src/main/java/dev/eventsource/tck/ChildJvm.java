package dev.eventsource.tck;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a class's {@code main} in a child JVM on this JVM's class path, the way the crash and
 * failover suites run relays, subscriptions and inboxes that they then {@code kill -9} or SIGTERM.
 * Its standard error is appended to {@code <dir>/<name>.stderr.txt} (for a failed test's
 * post-mortem); its standard output is discarded.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Starts {@code main} with {@code args}.
     *
     * @throws IOException if the JVM cannot be started
     */
    static Process start(Class<?> main, Path dir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".stderr.txt").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
