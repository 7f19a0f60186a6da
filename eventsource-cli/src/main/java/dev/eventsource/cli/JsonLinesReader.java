package dev.eventsource.cli;

import dev.eventsource.store.EventLimits;
import dev.eventsource.wire.EventDocument;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a JSON Lines input one line at a time, refusing what a plain {@code readLine} would turn
 * into confusing errors: bytes that are not UTF-8 (found in the line that holds them, since each
 * line is decoded on its own) and lines longer than {@link #MAX_LINE_CHARS} (read only up to the
 * limit, so a huge line does not exhaust memory). A UTF-8 byte order mark at the start is skipped.
 * Lines end at {@code \n}; a {@code \r} before it is dropped.
 */
final class JsonLinesReader implements Closeable {

    /**
     * The longest line read: an event's payload and metadata may each be
     * {@link EventLimits#MAX_JSON_LENGTH} characters of JSON (the library's limit on stored JSON),
     * plus room for the other fields.
     */
    static final int MAX_LINE_CHARS = EventDocument.MAX_DOCUMENT_CHARS;

    /** A line that cannot be read; the message says why, without the file and line, which the caller adds. */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message);
        }
    }

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final InputStream in;
    private final int maxLineChars;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private boolean first = true;
    private byte[] line = new byte[1024];
    private int length;

    JsonLinesReader(InputStream in) {
        this(in, MAX_LINE_CHARS);
    }

    JsonLinesReader(InputStream in, int maxLineChars) {
        this.in = in;
        this.maxLineChars = maxLineChars;
    }

    /**
     * The next line without its line end, or null at the end of the input.
     *
     * @throws BadLine     when the line is not UTF-8 or longer than the limit
     * @throws IOException when the input cannot be read
     */
    String readLine() throws IOException, BadLine {
        length = 0;
        boolean any = false;
        while (true) {
            if (start == end) {
                int n = in.read(buffer, 0, buffer.length);
                if (n < 0) {
                    return any ? decode() : null;
                }
                start = 0;
                end = n;
            }
            any = true;
            int newline = start;
            while (newline < end && buffer[newline] != '\n') {
                newline++;
            }
            append(start, newline);
            boolean complete = newline < end;
            start = complete ? newline + 1 : end;
            if (complete) {
                return decode();
            }
        }
    }

    private void append(int from, int to) throws BadLine {
        int n = to - from;
        // UTF-8 takes at most three bytes per UTF-16 character, so more bytes than this are too many characters.
        if ((long) length + n > 3L * maxLineChars + 3) {
            throw tooLong();
        }
        if (length + n > line.length) {
            line = Arrays.copyOf(line, (int) Math.min(Math.max((long) line.length * 2, length + n), Integer.MAX_VALUE - 8));
        }
        System.arraycopy(buffer, from, line, length, n);
        length += n;
    }

    private String decode() throws BadLine {
        int from = 0;
        int to = length;
        if (first) {
            first = false;
            if (to >= 3 && Arrays.equals(line, 0, 3, BOM, 0, 3)) {
                from = 3;
            }
        }
        if (to > from && line[to - 1] == '\r') {
            to--;
        }
        String text;
        if (ascii(line, from, to)) {
            // Most lines are ASCII (JSON escapes the rest, or there is none): no decoder, one copy, a compact string.
            text = new String(line, from, to - from, StandardCharsets.ISO_8859_1);
        } else {
            try {
                text = utf8.decode(ByteBuffer.wrap(line, from, to - from)).toString();
            } catch (CharacterCodingException e) {
                throw new BadLine("the line is not valid UTF-8 (the file must be UTF-8 text, as export writes it)");
            }
        }
        if (text.length() > maxLineChars) {
            throw tooLong();
        }
        return text;
    }

    private static boolean ascii(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private BadLine tooLong() {
        return new BadLine("the line is longer than " + maxLineChars + " characters, the most an event's JSON can take"
                + " (payload and metadata up to 16 Mi characters each)");
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
