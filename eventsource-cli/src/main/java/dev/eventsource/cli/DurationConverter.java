package dev.eventsource.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 30d} or an ISO-8601 duration such
 * as {@code PT10S}. Refuses a negative duration and one longer than {@link #MAX} (a hundred years):
 * no wait or age the commands take needs more, and a longer one would overflow the microsecond
 * times a store compares it with.
 */
final class DurationConverter implements ITypeConverter<Duration> {

    static final Duration MAX = Duration.ofDays(36_500);

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
        Duration d = parse(value.strip());
        if (d == null) {
            throw new TypeConversionException("'" + value + "' is not a duration; use e.g. 500ms, 10s, 5m, 1h, 30d or PT10S");
        }
        if (d.isNegative() || d.compareTo(MAX) > 0) {
            throw new TypeConversionException("'" + value + "' is out of range; give a duration from 0 to 36500d");
        }
        return d;
    }

    /** The duration {@code value} spells, or null; durations too long for {@link Duration} count as longer than {@link #MAX}. */
    private static Duration parse(String value) {
        Matcher m = SIMPLE.matcher(value);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return value.matches("\\d+(ms|s|m|h|d)") ? MAX.plusDays(1) : Duration.parse(value);
        } catch (ArithmeticException e) {
            return MAX.plusDays(1);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
