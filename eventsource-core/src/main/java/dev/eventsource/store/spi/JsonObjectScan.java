package dev.eventsource.store.spi;

import dev.eventsource.store.EventLimits;

/**
 * Whether a text is exactly one JSON object (RFC 8259, surrounding whitespace allowed), checked by
 * one scan without a parser. Two questions share it:
 * <ul>
 *   <li>{@link #scan}: is stored JSON one object, and is it ASCII? What the event document needs
 *       before it copies stored JSON as is ({@code dev.eventsource.wire.EventDocument}).</li>
 *   <li>{@link #isStorable}: does JSON about to be stored pass every check of
 *       {@link EventLimits#requireJsonObject}? Its fast path, so that the JSON the library has just
 *       written is not parsed a second time on every append and import.</li>
 * </ul>
 * Both answer yes only for text that Jackson accepts too (the tests compare them on mutated
 * documents); a no means "ask Jackson", which gives the verdict and the reason. They say no to
 * anything beyond what they check: nesting deeper than {@value #MAX_DEPTH} (strictly: below
 * {@link EventLimits#MAX_JSON_DEPTH}), a number longer than {@value #MAX_NUMBER_CHARS} characters,
 * a name longer than {@value #MAX_NAME_CHARS}; and, for {@link #isStorable}, also to a number with
 * an exponent, an escaped NUL or surrogate, and an unpaired surrogate. Stateless and thread-safe.
 */
public final class JsonObjectScan {

    /** The deepest nesting {@link #scan} follows; deeper goes to Jackson. */
    public static final int MAX_DEPTH = 500;
    /** The longest number either check accepts, in characters; longer goes to Jackson. */
    public static final int MAX_NUMBER_CHARS = 500;
    /** The longest field name either check accepts, in characters with its quotes; longer goes to Jackson. */
    public static final int MAX_NAME_CHARS = 10_000;

    /** {@link #scan}: not one JSON object (or beyond the limits checked). */
    public static final int NOT_AN_OBJECT = -1;
    /** {@link #scan}: one JSON object, every character ASCII. */
    public static final int ASCII_OBJECT = 0;
    /** {@link #scan}: one JSON object with characters beyond ASCII (in its strings). */
    public static final int OBJECT = 1;

    private final String s;
    /** {@link #isStorable}'s mode: also refuse what {@link EventLimits#requireJsonObject} checks beyond the grammar. */
    private final boolean storable;
    private final int maxDepth;
    private int i;
    /** Every character of the strings scanned, or-ed: below 0x80 when all were ASCII. */
    private int seen;

    private JsonObjectScan(String s, boolean storable) {
        this.s = s;
        this.storable = storable;
        this.maxDepth = storable ? EventLimits.MAX_JSON_DEPTH - 1 : MAX_DEPTH;
    }

    /** Whether {@code json} is one JSON object and nothing else; false for null. */
    public static boolean isObject(String json) {
        return scan(json) != NOT_AN_OBJECT;
    }

    /**
     * {@link #isObject} and, in the same scan, whether the text is ASCII (outside strings a
     * character beyond ASCII is not JSON anyway): {@link #NOT_AN_OBJECT}, {@link #ASCII_OBJECT} or
     * {@link #OBJECT}. {@link #NOT_AN_OBJECT} for null.
     */
    public static int scan(String json) {
        if (json == null) {
            return NOT_AN_OBJECT;
        }
        JsonObjectScan c = new JsonObjectScan(json, false);
        if (!c.wholeObject()) {
            return NOT_AN_OBJECT;
        }
        return c.seen < 0x80 ? ASCII_OBJECT : OBJECT;
    }

    /**
     * True only if {@link EventLimits#requireJsonObject} accepts {@code json}: one object, nested
     * less deeply than its limit, numbers without exponent and within {@value #MAX_NUMBER_CHARS}
     * characters, strings without NUL and with every surrogate paired. False for null, for anything
     * else, and for what it does not judge: the caller then runs the full check.
     */
    public static boolean isStorable(String json) {
        return json != null && json.length() <= EventLimits.MAX_JSON_LENGTH && new JsonObjectScan(json, true).wholeObject();
    }

    /**
     * {@link EventLimits#requireJsonObject}, with {@link #isStorable} as its fast path: JSON the
     * library has just written is scanned once instead of parsed, and anything the scan does not
     * pass gets the full check, its verdict and its message.
     *
     * @return {@code json}
     * @throws IllegalArgumentException as {@link EventLimits#requireJsonObject} does
     */
    public static String requireStorable(String what, String json) {
        return isStorable(json) ? json : EventLimits.requireJsonObject(what, json);
    }

    private boolean wholeObject() {
        whitespace();
        if (i >= s.length() || s.charAt(i) != '{' || !value(0)) {
            return false;
        }
        whitespace();
        return i == s.length();
    }

    private void whitespace() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    /** One value at {@code i} (after whitespace); leaves {@code i} after it. */
    private boolean value(int depth) {
        whitespace();
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        switch (c) {
            case '{':
                return depth < maxDepth && object(depth + 1);
            case '[':
                return depth < maxDepth && array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return (c == '-' || (c >= '0' && c <= '9')) && number();
        }
    }

    private boolean object(int depth) {
        i++; // {
        whitespace();
        if (i < s.length() && s.charAt(i) == '}') {
            i++;
            return true;
        }
        while (true) {
            whitespace();
            int name = i;
            if (i >= s.length() || s.charAt(i) != '"' || !string() || i - name > MAX_NAME_CHARS) {
                return false;
            }
            whitespace();
            if (i >= s.length() || s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (!value(depth)) {
                return false;
            }
            whitespace();
            if (i >= s.length()) {
                return false;
            }
            char c = s.charAt(i++);
            if (c == '}') {
                return true;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    private boolean array(int depth) {
        i++; // [
        whitespace();
        if (i < s.length() && s.charAt(i) == ']') {
            i++;
            return true;
        }
        while (true) {
            if (!value(depth)) {
                return false;
            }
            whitespace();
            if (i >= s.length()) {
                return false;
            }
            char c = s.charAt(i++);
            if (c == ']') {
                return true;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    private boolean string() {
        i++; // opening quote
        while (i < s.length()) {
            char c = s.charAt(i++);
            seen |= c;
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (storable && Character.isSurrogate(c)) {
                // Only a high surrogate directly followed by a low one is text; the pair is skipped whole.
                if (!Character.isHighSurrogate(c) || i >= s.length() || !Character.isLowSurrogate(s.charAt(i))) {
                    return false;
                }
                seen |= s.charAt(i++);
                continue;
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    return false;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            return false;
                        }
                        int unit = 0;
                        for (int k = 0; k < 4; k++) {
                            int digit = Character.digit(s.charAt(i++), 16);
                            if (digit < 0) {
                                return false;
                            }
                            unit = unit * 16 + digit;
                        }
                        if (storable && (unit == 0 || Character.isSurrogate((char) unit))) {
                            // NUL is refused, and escaped surrogates need pairing: the full check decides both.
                            return false;
                        }
                    }
                    default -> {
                        return false;
                    }
                }
            }
        }
        return false;
    }

    private boolean literal(String word) {
        if (!s.startsWith(word, i)) {
            return false;
        }
        i += word.length();
        return true;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}, followed by a delimiter. */
    private boolean number() {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (i >= s.length()) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (!digits()) {
            return false;
        }
        if (i < s.length() && s.charAt(i) == '.') {
            i++;
            if (!digits()) {
                return false;
            }
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            if (storable) {
                // Its length in plain notation, which the full check limits, is not the length of its text.
                return false;
            }
            i++;
            if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            if (!digits()) {
                return false;
            }
        }
        if (i - start > MAX_NUMBER_CHARS) {
            return false;
        }
        // A number runs up to a delimiter: "01" or "1x" is not one.
        if (i < s.length()) {
            char c = s.charAt(i);
            return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }
        return true;
    }

    private boolean digits() {
        int start = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > start;
    }
}
