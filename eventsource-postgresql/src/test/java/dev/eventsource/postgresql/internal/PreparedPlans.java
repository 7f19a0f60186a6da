package dev.eventsource.postgresql.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code EXPLAIN} of a statement as the driver prepares it, for the plan tests
 * ({@link AppendPlanTest}, {@link TenantReadPlanTest}): JDBC's {@code ?} placeholders become
 * {@code $1, $2, ...}, the statement is {@code PREPARE}d under a {@code plan_cache_mode}, explained
 * with the given values, and deallocated; the session's plan cache mode is reset afterwards.
 */
final class PreparedPlans {

    private PreparedPlans() {
    }

    /**
     * The plan's lines.
     *
     * @param mode   {@code force_generic_plan} (what PostgreSQL switches to after five executions) or {@code force_custom_plan}
     * @param values the parameter values as SQL literals, comma-separated; {@code null} for NULL for every parameter
     *               (enough for a generic plan, which does not look at them)
     */
    static List<String> explain(Connection c, String name, String sql, String mode, String values) throws SQLException {
        StringBuilder numbered = new StringBuilder();
        int parameters = 0;
        for (char ch : sql.toCharArray()) {
            if (ch == '?') {
                numbered.append('$').append(++parameters);
            } else {
                numbered.append(ch);
            }
        }
        String arguments = values != null ? values : String.join(", ", Collections.nCopies(parameters, "NULL"));
        List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute("SET plan_cache_mode = " + mode);
            s.execute("PREPARE " + name + " AS " + numbered);
            try (ResultSet rs = s.executeQuery("EXPLAIN EXECUTE " + name + "(" + arguments + ")")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            s.execute("DEALLOCATE " + name);
            s.execute("RESET plan_cache_mode");
        }
        return lines;
    }
}
