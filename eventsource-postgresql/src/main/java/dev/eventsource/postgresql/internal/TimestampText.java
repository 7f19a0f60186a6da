package dev.eventsource.postgresql.internal;

import java.time.Instant;
import java.time.LocalDate;

/**
 * An instant as the text a {@code timestamptz} parameter is bound as: {@code 2026-12-04T12:40:49.123456Z}.
 * Appends bind their times as text cast in SQL rather than as {@code OffsetDateTime}, because the
 * driver formats those through a new {@code TimestampUtils} and {@code GregorianCalendar} for every
 * statement, which was about a tenth of a single-event append's client CPU.
 *
 * <p>The text is exact: an instant of years 1 to 9999 (the range {@code EventLimits} lets events
 * have) whose nanoseconds are whole microseconds is written digit by digit; any other instant as
 * {@link Instant#toString()}, which the server then reads and rounds as it did before.
 */
final class TimestampText {

    private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private TimestampText() {
    }

    static String of(Instant t) {
        long seconds = t.getEpochSecond();
        int nanos = t.getNano();
        long day = Math.floorDiv(seconds, 86_400);
        if (nanos % 1_000 != 0 || day < FIRST_DAY || day > LAST_DAY) {
            return t.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        char[] c = new char[27];
        digits(c, 0, date.getYear(), 4);
        c[4] = '-';
        digits(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        digits(c, 11, secondOfDay / 3_600, 2);
        c[13] = ':';
        digits(c, 14, secondOfDay / 60 % 60, 2);
        c[16] = ':';
        digits(c, 17, secondOfDay % 60, 2);
        c[19] = '.';
        digits(c, 20, nanos / 1_000, 6);
        c[26] = 'Z';
        return new String(c);
    }

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded, from {@code at}. */
    private static void digits(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
