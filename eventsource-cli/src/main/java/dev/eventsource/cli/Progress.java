package dev.eventsource.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * A one-line progress bar on stderr, redrawn in place at most ten times a second: the share done,
 * the count (grouped digits; bytes in KiB/MiB), the rate, the time elapsed and, while the total is
 * known, the time left. Disabled (every call a no-op) when stderr is not a terminal or with
 * {@code --quiet}, so pipes and logs stay clean.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final boolean enabled;
    private long total;
    private long done;
    private long lastDraw;
    private boolean drawn;
    private final long started = System.nanoTime();
    private int lastLength;

    private Progress(PrintWriter err, String label, String unit, long total, boolean enabled) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.enabled = enabled;
    }

    /**
     * @param total the amount of work when known, otherwise 0 (then only the count is shown)
     * @param unit  what is counted, e.g. {@code "events"}
     */
    static Progress start(CommonOptions options, PrintWriter err, String label, long total, String unit) {
        return new Progress(err, label, unit, total, options.showProgress());
    }

    void total(long total) {
        this.total = total;
    }

    void update(long done) {
        this.done = done;
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        draw();
    }

    private void draw() {
        StringBuilder line = new StringBuilder("\r").append(label).append(' ');
        if (total > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            int filled = (int) Math.round(fraction * WIDTH);
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format("%3d%% ", Math.round(fraction * 100)));
        }
        boolean bytes = unit.equals("bytes");
        line.append(bytes ? Human.bytes(done) : Human.count(done));
        if (total > 0) {
            line.append('/').append(bytes ? Human.bytes(total) : Human.count(total));
        }
        if (!bytes) {
            line.append(' ').append(unit);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        if (elapsed.toMillis() >= 1_000 && done > 0) {
            line.append("  ").append(Human.rate(done, elapsed, unit)).append("  elapsed ").append(Human.duration(elapsed));
            if (total > done) {
                long leftNanos = (long) ((double) elapsed.toNanos() / done * (total - done));
                line.append("  left ").append(Human.duration(Duration.ofNanos(leftNanos)));
            }
        }
        int length = line.length();
        // A shorter line than the last one would leave the end of the last one on the screen.
        line.append(" ".repeat(Math.max(0, lastLength - length)));
        lastLength = length;
        err.print(line);
        err.flush();
        drawn = true;
    }

    /** Draws the final state and ends the line. */
    @Override
    public void close() {
        if (enabled) {
            draw();
            err.println();
            err.flush();
        }
    }
}
