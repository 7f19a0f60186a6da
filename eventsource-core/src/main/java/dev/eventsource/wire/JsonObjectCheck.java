package dev.eventsource.wire;

/**
 * Whether a text is exactly one JSON object (RFC 8259, surrounding whitespace allowed), checked by
 * one scan without a parser: what {@link EventDocument} needs before it copies stored JSON into a
 * document. It answers {@code true} only for text that Jackson reads as one object too; on
 * {@code false} (not an object, or beyond the limits it checks: nesting deeper than
 * {@value #MAX_DEPTH}, a number longer than {@value #MAX_NUMBER_CHARS} characters, a name longer than
 * {@value #MAX_NAME_CHARS}) the caller asks
 * Jackson, which gives the verdict and the reason. Stateless and thread-safe.
 */
final class JsonObjectCheck {

    static final int MAX_DEPTH = 500;
    static final int MAX_NUMBER_CHARS = 500;
    static final int MAX_NAME_CHARS = 10_000;

    /** {@link #scan}: not one JSON object (or beyond the limits checked). */
    static final int NOT_AN_OBJECT = -1;
    /** {@link #scan}: one JSON object, every character ASCII. */
    static final int ASCII_OBJECT = 0;
    /** {@link #scan}: one JSON object with characters beyond ASCII (in its strings). */
    static final int OBJECT = 1;

    private final String s;
    private int i;
    /** Every character of the strings scanned, or-ed: below 0x80 when all were ASCII. */
    private int seen;

    private JsonObjectCheck(String s) {
        this.s = s;
    }

    /** Whether {@code json} is one JSON object and nothing else; false for null. */
    static boolean isObject(String json) {
        return scan(json) != NOT_AN_OBJECT;
    }

    /**
     * {@link #isObject} and, in the same scan, whether the text is ASCII (outside strings a
     * character beyond ASCII is not JSON anyway): {@link #NOT_AN_OBJECT}, {@link #ASCII_OBJECT} or
     * {@link #OBJECT}. {@link #NOT_AN_OBJECT} for null.
     */
    static int scan(String json) {
        if (json == null) {
            return NOT_AN_OBJECT;
        }
        JsonObjectCheck c = new JsonObjectCheck(json);
        c.whitespace();
        if (c.i >= json.length() || json.charAt(c.i) != '{') {
            return NOT_AN_OBJECT;
        }
        if (!c.value(0)) {
            return NOT_AN_OBJECT;
        }
        c.whitespace();
        if (c.i != json.length()) {
            return NOT_AN_OBJECT;
        }
        return c.seen < 0x80 ? ASCII_OBJECT : OBJECT;
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
                return depth < MAX_DEPTH && object(depth + 1);
            case '[':
                return depth < MAX_DEPTH && array(depth + 1);
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
                        for (int k = 0; k < 4; k++) {
                            if (Character.digit(s.charAt(i++), 16) < 0) {
                                return false;
                            }
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
