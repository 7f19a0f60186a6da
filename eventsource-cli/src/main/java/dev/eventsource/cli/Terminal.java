package dev.eventsource.cli;

/**
 * Makes stored text safe to print for people: a type name, tenant or payload can hold any
 * character, and control characters would reach the terminal as commands (move the cursor, clear
 * the screen, change the title, hide what follows). JSON output is written exactly and never
 * passes through here.
 */
final class Terminal {

    private Terminal() {
    }

    /**
     * {@code text} with every C0 control character (including tab and newline), DEL, C1 control
     * character and bidirectional formatting character (which can make text read in another
     * order than it is stored) written as a {@code \\uXXXX} escape, as JSON writes it. Null gives
     * null.
     */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = isControl(c);
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (escape) {
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F)
                || c == '\u061C' || c == '\u200E' || c == '\u200F'
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
