package dev.eventsource.jdbc;

import java.util.regex.Pattern;

/**
 * The only identifiers a caller passes that reach SQL text, in every SQL backend: a schema name and
 * a table prefix, both checked here against a conservative pattern, so that nothing a caller passes
 * is ever concatenated unchecked.
 */
public final class SqlNames {

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

    private SqlNames() {
    }

    /**
     * @throws IllegalArgumentException unless {@code schema} matches {@code [a-z_][a-z0-9_]{0,40}}
     */
    public static String schema(String schema) {
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be a lower-case SQL identifier matching [a-z_][a-z0-9_]{0,40}"
                    + " (e.g. \"public\" or \"events\"); got " + quoted(schema));
        }
        return schema;
    }

    /**
     * @throws IllegalArgumentException unless {@code prefix} is empty or matches {@code [a-z_][a-z0-9_]{0,40}}
     */
    public static String tablePrefix(String prefix) {
        if (prefix == null || !(prefix.isEmpty() || IDENTIFIER.matcher(prefix).matches())) {
            throw new IllegalArgumentException("tablePrefix must be empty or a lower-case SQL identifier matching"
                    + " [a-z_][a-z0-9_]{0,40} (e.g. \"eventsource_\"); got " + quoted(prefix));
        }
        return prefix;
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
