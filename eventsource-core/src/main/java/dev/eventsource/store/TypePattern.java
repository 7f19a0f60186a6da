package dev.eventsource.store;

import java.util.Objects;

/**
 * One event-type filter of {@link ReadOptions#builder()}{@code .eventTypes(...)}: an exact type
 * name, or a pattern with {@code *} standing for any run of characters (none included) at its
 * start, its end or both: {@code Order*} (prefix), {@code *Created} (suffix), {@code *Invoice*}
 * (contains). Matching is case-sensitive on every backend, like exact names, and every other
 * character, {@code _}, {@code %} and {@code \} included, stands for itself. The one place that
 * turns a pattern into SQL ({@link #sqlLike()}, {@link #sqliteGlob()}) and matches it in memory
 * ({@link #matches}).
 *
 * <p>Refused, with the reason: a blank name; a pattern holding whitespace; {@code *} alone (leave
 * the filter out to read every type); {@code **}; a {@code *} anywhere but the ends. A stored type
 * name that itself contains {@code *} cannot be selected exactly.
 *
 * @param text the name or pattern as given
 */
public record TypePattern(String text) {

    /** The escape character {@link #sqlLike()} uses; write {@code LIKE ? ESCAPE '\'}. */
    public static final char LIKE_ESCAPE = '\\';

    public TypePattern {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("an event type filter must be a non-blank name or pattern");
        }
        if (text.indexOf('*') >= 0) {
            if (text.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("event type pattern '" + text + "' holds whitespace; type names have"
                        + " none, so it could never match: remove it");
            }
            if (text.equals("*")) {
                throw new IllegalArgumentException("event type pattern '*' selects every type; leave the type filter out"
                        + " instead");
            }
            if (text.contains("**")) {
                throw new IllegalArgumentException("event type pattern '" + text + "' holds '**'; one '*' at the start"
                        + " and/or the end is all a pattern takes (e.g. 'Order*', '*Created', '*Invoice*')");
            }
            String inner = text.substring(text.startsWith("*") ? 1 : 0, text.length() - (text.endsWith("*") ? 1 : 0));
            if (inner.indexOf('*') >= 0) {
                throw new IllegalArgumentException("event type pattern '" + text + "' has a '*' in the middle; only a"
                        + " prefix ('Order*'), suffix ('*Created') or both ('*Invoice*') is supported: list such types"
                        + " by name or as two filters");
            }
        }
    }

    /** {@link #TypePattern(String)}. */
    public static TypePattern of(String text) {
        return new TypePattern(text);
    }

    /** Whether this is a plain type name, without {@code *}. */
    public boolean isExact() {
        return text.indexOf('*') < 0;
    }

    /** The literal part: the text without its {@code *}s. */
    public String literal() {
        return text.substring(text.startsWith("*") ? 1 : 0, text.length() - (text.endsWith("*") && text.length() > 1 ? 1 : 0));
    }

    /** Whether {@code eventType} is selected by this name or pattern (case-sensitive). */
    public boolean matches(String eventType) {
        if (isExact()) {
            return text.equals(eventType);
        }
        String literal = literal();
        boolean any = text.startsWith("*");
        boolean trailing = text.endsWith("*");
        if (any && trailing) {
            return eventType.contains(literal);
        }
        return any ? eventType.endsWith(literal) : eventType.startsWith(literal);
    }

    /**
     * This pattern for SQL {@code LIKE ... ESCAPE '\'} (PostgreSQL; case-sensitive there): {@code \},
     * {@code %} and {@code _} escaped with {@link #LIKE_ESCAPE}, each {@code *} turned into {@code %}.
     */
    public String sqlLike() {
        StringBuilder like = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*') {
                like.append('%');
            } else {
                if (c == '\\' || c == '%' || c == '_') {
                    like.append(LIKE_ESCAPE);
                }
                like.append(c);
            }
        }
        return like.toString();
    }

    /**
     * This pattern for SQLite's {@code GLOB}, which is case-sensitive (its {@code LIKE} is not, for
     * ASCII): {@code ?} and {@code [} written as the one-character classes {@code [?]} and {@code [[]},
     * each {@code *} kept as GLOB's own.
     */
    public String sqliteGlob() {
        StringBuilder glob = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '?' || c == '[') {
                glob.append('[').append(c).append(']');
            } else {
                glob.append(c);
            }
        }
        return glob.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
