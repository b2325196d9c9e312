package org.vectrain.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A table of text cells with a header row, for CSV files, Markdown and the HTML report.
 *
 * <p>Cells are plain text: formatting numbers is the caller's choice, and the writers escape
 * whatever the text contains. Columns whose cells are all numbers are right-aligned in Markdown
 * and HTML.
 *
 * @param columns the header, at least one column; no cell may be {@code null}
 * @param rows each with exactly one cell per column
 */
public record Table(List<String> columns, List<List<String>> rows) {
    /** A number as a table shows it: {@code 38.69}, {@code -1e-4}, {@code 38.69 %}, {@code 1,024}, {@code NaN}. */
    private static final Pattern NUMBER = Pattern.compile(
            "[-+]?(\\d[\\d,]*(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?\\s*%?|[-+]?(NaN|Infinity|inf|nan)");

    /** @throws IllegalArgumentException if there are no columns or a row has the wrong number of cells */
    public Table {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table needs at least one column");
        }
        List<List<String>> copied = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + copied.size() + " has " + row.size()
                        + " cells, the table has " + columns.size() + " columns " + columns);
            }
            copied.add(List.copyOf(row));
        }
        rows = List.copyOf(copied);
    }

    /** Starts a table with these column headings. */
    public static Builder builder(String... columns) {
        return new Builder(List.of(columns));
    }

    /** Collects rows; each cell becomes text through {@link String#valueOf(Object)}. */
    public static final class Builder {
        private final List<String> columns;
        private final List<List<String>> rows = new ArrayList<>();

        private Builder(List<String> columns) {
            this.columns = columns;
        }

        /**
         * Adds a row of one cell per column.
         *
         * @throws IllegalArgumentException if the number of cells is not the number of columns
         */
        public Builder row(Object... cells) {
            List<String> row = new ArrayList<>(cells.length);
            for (Object cell : cells) {
                row.add(String.valueOf(cell));
            }
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + rows.size() + " has " + row.size()
                        + " cells, the table has " + columns.size() + " columns " + columns);
            }
            rows.add(row);
            return this;
        }

        public Table build() {
            return new Table(columns, rows);
        }
    }

    /** Whether column {@code c} has at least one cell and every non-empty cell is a number. */
    boolean isNumeric(int c) {
        boolean any = false;
        for (List<String> row : rows) {
            String cell = row.get(c).strip();
            if (cell.isEmpty()) {
                continue;
            }
            if (!NUMBER.matcher(cell).matches()) {
                return false;
            }
            any = true;
        }
        return any;
    }
}
