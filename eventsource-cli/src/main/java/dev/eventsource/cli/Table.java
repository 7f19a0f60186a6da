package dev.eventsource.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints rows as left-aligned columns separated by two spaces; the first row is the header. Cells
 * are made {@linkplain Terminal#printable printable}, since they often hold stored names.
 */
final class Table {

    private Table() {
    }

    static void print(PrintWriter out, List<String[]> cells) {
        List<String[]> rows = cells.stream().map(row -> java.util.Arrays.stream(row).map(Terminal::printable)
                .toArray(String[]::new)).toList();
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line);
        }
    }
}
