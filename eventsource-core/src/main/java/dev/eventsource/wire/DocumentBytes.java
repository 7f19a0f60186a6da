package dev.eventsource.wire;

import dev.eventsource.store.spi.JsonObjectScan;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.UUID;

/**
 * The UTF-8 writer behind {@link EventDocument#encodeBytes(dev.eventsource.store.RecordedEvent)}:
 * each piece of a document written straight into a byte buffer, which the calling thread reuses
 * from one document to the next (up to {@value #RETAINED} bytes; a larger one is dropped after
 * use). What it writes is, byte for byte, what {@code EventDocument} wrote as text before
 * ({@code String.getBytes(UTF_8)} of it): the same escapes, a lone surrogate as {@code ?}. Not
 * thread-safe: one instance per thread ({@link #forThisThread}), used by one document at a time.
 */
final class DocumentBytes {

    /** The largest buffer a thread keeps between documents. */
    static final int RETAINED = 64 * 1024;

    private static final ThreadLocal<DocumentBytes> BUFFERS = ThreadLocal.withInitial(DocumentBytes::new);

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HEX_UPPER = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private byte[] buf = new byte[1024];
    private int pos;
    /** The day {@link #date} holds ({@code Long.MIN_VALUE}: none yet): a relay's events mostly share one. */
    private long day = Long.MIN_VALUE;
    private final byte[] date = new byte[10];

    private DocumentBytes() {
    }

    /** This thread's writer, emptied, with room for about {@code expected} more bytes than the fixed fields. */
    static DocumentBytes forThisThread(int expected) {
        DocumentBytes b = BUFFERS.get();
        b.pos = 0;
        b.ensure(400 + expected);
        return b;
    }

    /** The bytes written, as a new array; the buffer is kept for the next document unless it grew too large. */
    byte[] toBytes() {
        byte[] out = Arrays.copyOf(buf, pos);
        if (buf.length > RETAINED) {
            buf = new byte[1024];
        }
        pos = 0;
        return out;
    }

    private void ensure(int more) {
        if (buf.length - pos < more) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    /** {@code text}, which must be ASCII without anything to escape (the document's own punctuation and names). */
    @SuppressWarnings("deprecation")
    DocumentBytes ascii(String text) {
        int n = text.length();
        ensure(n);
        text.getBytes(0, n, buf, pos);   // ASCII: each char's low byte is its UTF-8 byte
        pos += n;
        return this;
    }

    /** {@code id} as {@link UUID#toString()} writes it. */
    DocumentBytes uuid(UUID id) {
        ensure(36);
        uuid(id, buf, pos);
        pos += 36;
        return this;
    }

    /** Writes the 36 ASCII characters of {@code id}'s {@link UUID#toString()} into {@code b} at {@code at}. */
    static void uuid(UUID id, byte[] b, int at) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        hex(b, at, high >>> 32, 8);
        b[at + 8] = '-';
        hex(b, at + 9, high >>> 16, 4);
        b[at + 13] = '-';
        hex(b, at + 14, high, 4);
        b[at + 18] = '-';
        hex(b, at + 19, low >>> 48, 4);
        b[at + 23] = '-';
        hex(b, at + 24, low, 12);
    }

    private static void hex(byte[] b, int at, long value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            b[i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    /** {@code value} in decimal, as {@link Long#toString(long)} writes it. */
    DocumentBytes number(long value) {
        if (value < 0) {
            return ascii(Long.toString(value));
        }
        ensure(20);
        int digits = 1;
        for (long v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        for (int i = pos + digits - 1; i >= pos; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        pos += digits;
        return this;
    }

    /** {@code instant} as a quoted {@link EventDocument#time} string; {@code null} for null. */
    DocumentBytes time(Instant instant) {
        if (instant == null) {
            return ascii("null");
        }
        long seconds = instant.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, 86_400L);
        if (epochDay != day) {
            LocalDate d = LocalDate.ofEpochDay(epochDay);
            if (d.getYear() < 0 || d.getYear() > 9999) {
                return quotedAscii(MICROS.format(instant));
            }
            digits(date, 0, d.getYear(), 4);
            date[4] = '-';
            digits(date, 5, d.getMonthValue(), 2);
            date[7] = '-';
            digits(date, 8, d.getDayOfMonth(), 2);
            day = epochDay;
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        ensure(29);
        buf[pos++] = '"';
        System.arraycopy(date, 0, buf, pos, 10);
        pos += 10;
        buf[pos++] = 'T';
        digits(buf, pos, secondOfDay / 3600, 2);
        buf[pos + 2] = ':';
        digits(buf, pos + 3, secondOfDay / 60 % 60, 2);
        buf[pos + 5] = ':';
        digits(buf, pos + 6, secondOfDay % 60, 2);
        buf[pos + 8] = '.';
        digits(buf, pos + 9, instant.getNano() / 1000, 6);
        buf[pos + 15] = 'Z';
        buf[pos + 16] = '"';
        pos += 17;
        return this;
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    private DocumentBytes quotedAscii(String text) {
        ensure(2);
        buf[pos++] = '"';
        ascii(text);
        ensure(1);
        buf[pos++] = '"';
        return this;
    }

    /**
     * {@code text} as a JSON string, escaped as Jackson escapes it ({@code \"}, {@code \\},
     * {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f}, other controls as a six-character escape with uppercase hex);
     * {@code null} for null.
     */
    DocumentBytes quoted(String text) {
        if (text == null) {
            return ascii("null");
        }
        int n = text.length();
        ensure(2 + 6 * n);
        byte[] b = buf;
        int p = pos;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[p++] = (byte) c;
                continue;
            }
            switch (c) {
                case '"' -> { b[p++] = '\\'; b[p++] = '"'; }
                case '\\' -> { b[p++] = '\\'; b[p++] = '\\'; }
                case '\n' -> { b[p++] = '\\'; b[p++] = 'n'; }
                case '\r' -> { b[p++] = '\\'; b[p++] = 'r'; }
                case '\t' -> { b[p++] = '\\'; b[p++] = 't'; }
                case '\b' -> { b[p++] = '\\'; b[p++] = 'b'; }
                case '\f' -> { b[p++] = '\\'; b[p++] = 'f'; }
                default -> {
                    if (c < 0x20) {
                        b[p++] = '\\';
                        b[p++] = 'u';
                        b[p++] = '0';
                        b[p++] = '0';
                        b[p++] = HEX_UPPER[c >> 4];
                        b[p++] = HEX_UPPER[c & 0xF];
                    } else {
                        i = utf8(text, i, c, b, p) - 1;
                        p = written;
                    }
                }
            }
        }
        b[p++] = '"';
        pos = p;
        return this;
    }

    /**
     * Stored JSON copied as it is: {@code kind} is what {@link JsonObjectScan#scan} said, and
     * {@link JsonObjectScan#ASCII_OBJECT} text is copied without looking at its characters.
     */
    @SuppressWarnings("deprecation")
    DocumentBytes json(String text, int kind) {
        int n = text.length();
        if (kind == JsonObjectScan.ASCII_OBJECT) {
            ensure(n);
            text.getBytes(0, n, buf, pos);   // checked ASCII: each char's low byte is its UTF-8 byte
            pos += n;
            return this;
        }
        ensure(3 * n);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else {
                i = utf8(text, i, c, b, p) - 1;
                p = written;
            }
        }
        pos = p;
        return this;
    }

    /** Where the last {@link #utf8} call stopped writing. */
    private int written;

    /**
     * Writes the non-ASCII character at {@code i} (with its low surrogate, if it is a high one
     * followed by one) as UTF-8 at {@code p}, a lone surrogate as {@code ?} as {@code String.getBytes}
     * does; returns the index after what it consumed and leaves the write position in
     * {@link #written}. At most 3 bytes per char consumed.
     */
    private int utf8(String text, int i, char c, byte[] b, int p) {
        if (c < 0x800) {
            b[p++] = (byte) (0xC0 | c >> 6);
            b[p++] = (byte) (0x80 | (c & 0x3F));
        } else if (Character.isSurrogate(c)) {
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (Character.isHighSurrogate(c) && Character.isLowSurrogate(next)) {
                int cp = Character.toCodePoint(c, next);
                b[p++] = (byte) (0xF0 | cp >> 18);
                b[p++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                b[p++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
                written = p;
                return i + 2;
            }
            b[p++] = '?';
        } else {
            b[p++] = (byte) (0xE0 | c >> 12);
            b[p++] = (byte) (0x80 | (c >> 6 & 0x3F));
            b[p++] = (byte) (0x80 | (c & 0x3F));
        }
        written = p;
        return i + 1;
    }
}
