package dev.eventsource.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints rows as columns separated by two spaces; the first row is the header. A column whose
 * cells (below the header) are all whole numbers is right-aligned, its numbers grouped by thousands
 * ({@code 35,476}); the others are left-aligned. Cells are made {@linkplain Terminal#printable
 * printable}, since they often hold stored names.
 */
final class Table {

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?\\d{1,18}");

    private Table() {
    }

    static void print(PrintWriter out, List<String[]> cells) {
        int columns = cells.get(0).length;
        boolean[] numeric = new boolean[columns];
        for (int i = 0; i < columns; i++) {
            final int column = i;
            numeric[i] = cells.size() > 1 && cells.stream().skip(1).allMatch(row -> NUMBER.matcher(row[column]).matches());
        }
        List<String[]> rows = new java.util.ArrayList<>();
        for (int r = 0; r < cells.size(); r++) {
            String[] row = cells.get(r).clone();
            for (int i = 0; i < row.length; i++) {
                row[i] = r > 0 && numeric[i] ? Human.count(Long.parseLong(row[i])) : Terminal.printable(row[i]);
            }
            rows.add(row);
        }
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(widths[i] - row[i].length());
                if (numeric[i]) {
                    line.append(pad).append(row[i]);
                } else {
                    line.append(row[i]).append(i < row.length - 1 ? pad : "");
                }
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            out.println(line);
        }
    }
}
