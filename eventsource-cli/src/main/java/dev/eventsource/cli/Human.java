package dev.eventsource.cli;

import java.time.Duration;
import java.util.Locale;

/** Numbers, sizes, durations and rates as people read them: {@code 35,476}, {@code 3.2 MB}, {@code 35.5 s}, {@code 12,000/s}. */
final class Human {

    private Human() {
    }

    /** Digits grouped by thousands with commas, whatever the machine's locale: {@code 1,234,567}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** {@code 412 ms}, {@code 35.5 s}, {@code 2 min 05 s}, {@code 1 h 02 min}. */
    static String duration(Duration d) {
        long millis = Math.max(0, d.toMillis());
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1_000.0);
        }
        long seconds = millis / 1_000;
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3_600, seconds % 3_600 / 60);
    }

    /** Bytes in binary units with one decimal: {@code 512 B}, {@code 3.2 MiB}. */
    static String bytes(long n) {
        if (n < 1_024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        do {
            value /= 1_024;
            unit++;
        } while (value >= 1_024 && unit < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** {@code amount} of {@code unit} in {@code elapsed}, per second: {@code 12,000 events/s}, {@code 3.1 MiB/s}. */
    static String rate(long amount, Duration elapsed, String unit) {
        double seconds = elapsed.toNanos() / 1e9;
        if (seconds <= 0) {
            return "";
        }
        long perSecond = Math.round(amount / seconds);
        return unit.equals("bytes") ? bytes(perSecond) + "/s" : count(perSecond) + " " + unit + "/s";
    }
}
