package org.lxj.shell.internal.format;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code lxc-ls -f}'s table: a header row and one row per container, every cell (the last one included)
 * left-aligned to its column's widest entry and followed by one blank. An empty table prints nothing,
 * not even the header.
 */
public final class FancyTable {

    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();
    private final int[] minimumWidths;

    public FancyTable(List<String> headers) {
        this.headers = List.copyOf(headers);
        this.minimumWidths = new int[headers.size()];
    }

    /** Makes column {@code header} at least {@code width} wide, whatever its cells hold. */
    public FancyTable minimumWidth(String header, int width) {
        int column = headers.indexOf(header);
        if (column >= 0) {
            minimumWidths[column] = width;
        }
        return this;
    }

    public FancyTable addRow(List<String> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("Row has " + cells.size() + " cells for " + headers.size() + " columns");
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    @Override
    public String toString() {
        if (rows.isEmpty()) {
            return "";
        }
        int[] widths = new int[headers.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = Math.max(minimumWidths[c], headers.get(c).length());
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, headers, widths);
        for (List<String> row : rows) {
            appendRow(out, row, widths);
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells, int[] widths) {
        for (int c = 0; c < widths.length; c++) {
            String cell = cells.get(c);
            out.append(cell).append(" ".repeat(widths[c] - cell.length())).append(' ');
        }
        out.append('\n');
    }
}
