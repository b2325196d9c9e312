package org.vectrain.cli.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.vectrain.engine.io.AtomicFiles;

/**
 * Writes a {@link Table} as CSV (RFC 4180) or as a GitHub-flavoured Markdown table, atomically.
 *
 * <p>CSV: records end in CRLF; a field is quoted when it contains a comma, a double quote, CR or LF,
 * and its quotes are doubled. Markdown: cell text is escaped so that it shows literally (pipes,
 * emphasis and link characters, HTML), line breaks become {@code <br>}, columns are padded for
 * reading in a text editor, and numeric columns are right-aligned. Text: what a terminal shows, the cells as
 * they are, in aligned columns under a dashed rule, numeric columns right-aligned.
 */
public final class Tables {
    /** ASCII punctuation that Markdown could read as formatting inside a table cell. */
    private static final String MARKDOWN_SPECIAL = "\\`*_[]<>|&~$";

    private Tables() {
    }

    /**
     * Writes {@code table} as CSV.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeCsv(Path file, Table table) {
        Objects.requireNonNull(file, "file");
        AtomicFiles.writeString(file, toCsv(table));
    }

    /**
     * Writes {@code table} as a Markdown table.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeMarkdown(Path file, Table table) {
        Objects.requireNonNull(file, "file");
        AtomicFiles.writeString(file, toMarkdown(table));
    }

    /** The table as RFC 4180 CSV, header first, every record ending in CRLF. */
    public static String toCsv(Table table) {
        Objects.requireNonNull(table, "table");
        StringBuilder csv = new StringBuilder();
        csvRecord(csv, table.columns());
        for (List<String> row : table.rows()) {
            csvRecord(csv, row);
        }
        return csv.toString();
    }

    /** The table as a GitHub-flavoured Markdown table, ending in a newline. */
    public static String toMarkdown(Table table) {
        Objects.requireNonNull(table, "table");
        int width = table.columns().size();
        List<String> header = new ArrayList<>();
        for (String column : table.columns()) {
            header.add(markdownCell(column));
        }
        List<List<String>> rows = new ArrayList<>();
        for (List<String> row : table.rows()) {
            List<String> cells = new ArrayList<>();
            for (String cell : row) {
                cells.add(markdownCell(cell));
            }
            rows.add(cells);
        }
        int[] widths = new int[width];
        boolean[] right = new boolean[width];
        for (int c = 0; c < width; c++) {
            right[c] = table.isNumeric(c);
            // The delimiter row needs at least three dashes.
            widths[c] = Math.max(3, length(header.get(c)));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], length(row.get(c)));
            }
        }
        StringBuilder md = new StringBuilder();
        markdownRow(md, header, widths, right);
        md.append('|');
        for (int c = 0; c < width; c++) {
            md.append(' ').append("-".repeat(widths[c] - (right[c] ? 1 : 0))).append(right[c] ? ":" : "").append(" |");
        }
        md.append('\n');
        for (List<String> row : rows) {
            markdownRow(md, row, widths, right);
        }
        return md.toString();
    }

    /**
     * The table as plain text for a terminal: columns two spaces apart, padded to their widest cell, the
     * header above a rule of dashes, numeric columns right-aligned; a line break inside a cell shows as
     * {@code " / "}. Nothing is escaped. Ends in a newline.
     */
    public static String toText(Table table) {
        Objects.requireNonNull(table, "table");
        int width = table.columns().size();
        List<List<String>> lines = new ArrayList<>();
        lines.add(table.columns().stream().map(Tables::textCell).toList());
        for (List<String> row : table.rows()) {
            lines.add(row.stream().map(Tables::textCell).toList());
        }
        int[] widths = new int[width];
        boolean[] right = new boolean[width];
        for (int c = 0; c < width; c++) {
            right[c] = table.isNumeric(c);
            for (List<String> line : lines) {
                widths[c] = Math.max(widths[c], length(line.get(c)));
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            textLine(text, lines.get(i), widths, right);
            if (i == 0) {
                List<String> rule = new ArrayList<>();
                for (int c = 0; c < width; c++) {
                    rule.add("-".repeat(widths[c]));
                }
                textLine(text, rule, widths, right);
            }
        }
        return text.toString();
    }

    private static String textCell(String cell) {
        return cell.strip().replace("\r\n", "\n").replace('\r', '\n').replace("\n", " / ");
    }

    private static void textLine(StringBuilder text, List<String> cells, int[] widths, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(widths[c] - length(cell));
            if (c > 0) {
                line.append("  ");
            }
            line.append(right[c] ? padding + cell : cell + padding);
        }
        text.append(line.toString().stripTrailing()).append('\n');
    }

    /**
     * {@code text} escaped so that Markdown shows it literally, on one line: formatting characters
     * are backslash-escaped and line breaks become {@code <br>}.
     */
    static String escapeMarkdown(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        String normalised = text.replace("\r\n", "\n").replace('\r', '\n');
        for (int i = 0; i < normalised.length(); i++) {
            char c = normalised.charAt(i);
            if (c == '\n') {
                out.append("<br>");
            } else {
                if (MARKDOWN_SPECIAL.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String markdownCell(String text) {
        return escapeMarkdown(text.strip());
    }

    private static void markdownRow(StringBuilder md, List<String> cells, int[] widths, boolean[] right) {
        md.append('|');
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c);
            String padding = " ".repeat(widths[c] - length(cell));
            md.append(' ').append(right[c] ? padding + cell : cell + padding).append(" |");
        }
        md.append('\n');
    }

    /** Characters as a reader counts them (λ and η are one each). */
    private static int length(String text) {
        return text.codePointCount(0, text.length());
    }

    private static void csvRecord(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            String field = fields.get(i);
            boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0
                    || field.indexOf('\r') >= 0 || field.indexOf('\n') >= 0;
            csv.append(quote ? '"' + field.replace("\"", "\"\"") + '"' : field);
        }
        csv.append("\r\n");
    }
}
