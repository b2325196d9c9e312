package org.vectrain.cli;

import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The usage help as picocli lays it out, except that long text is wrapped at spaces only. picocli wraps
 * where Java's line {@link java.text.BreakIterator} allows, which includes after a full stop, a colon or a
 * comma inside a word: a URL or a file name such as {@code validation_accuracy.png} came out cut in two.
 * Here a line breaks at its last space that fits, and only a word longer than a whole line is cut.
 */
final class HelpLayout extends Help {
    /** Widest option names, aliases and parameter label that keep the description column beside them. */
    static final int LONG_OPTIONS_WIDTH = 24;
    /** Makes every command's help with this layout. */
    static final CommandLine.IHelpFactory FACTORY = HelpLayout::new;

    private HelpLayout(CommandSpec spec, ColorScheme scheme) {
        super(spec, scheme);
    }

    @Override
    public Layout createDefaultLayout(List<OptionSpec> options, List<PositionalParamSpec> positionals,
            ColorScheme scheme) {
        int longOptions = calcLongOptionColumnWidth(options, positionals, scheme);
        // picocli's default columns: required marker, short name, comma, long names, description
        TextTable table = new SpaceWrappingTable(scheme, new Column(2, 0, Overflow.TRUNCATE),
                new Column(2, 0, Overflow.SPAN), new Column(1, 0, Overflow.TRUNCATE),
                new Column(longOptions, 1, Overflow.SPAN), new Column(width() - 5 - longOptions, 1, Overflow.WRAP));
        return new Layout(scheme, table, createDefaultOptionRenderer(), createDefaultParameterRenderer());
    }

    @Override
    public String description(Object... params) {
        String[] lines = commandSpec().usageMessage().description();
        if (lines == null || lines.length == 0) {
            return "";
        }
        TextTable table = new SpaceWrappingTable(colorScheme(), new Column(width(), 0, Overflow.WRAP));
        table.indentWrappedLines = 0;
        for (String line : lines) {
            table.addRowValues(colorScheme().text(line));
        }
        return table.toString();
    }

    @Override
    public String commandList(Map<String, Help> subcommands) {
        if (subcommands.isEmpty()) {
            return "";
        }
        int nameWidth = 0;
        for (String name : subcommands.keySet()) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        nameWidth = Math.min(nameWidth, width() / 2);
        TextTable table = new SpaceWrappingTable(colorScheme(), new Column(nameWidth + 2, 2, Overflow.SPAN),
                new Column(width() - (nameWidth + 2), 2, Overflow.WRAP));
        for (Help help : subcommands.values()) {
            CommandLine.Model.UsageMessageSpec usage = help.commandSpec().usageMessage();
            String[] header = usage.header().length > 0 ? usage.header() : usage.description();
            Text first = colorScheme().text(header.length > 0 ? header[0] : "");
            table.addRowValues(help.commandNamesText(", "), first);
        }
        return table.toString();
    }

    private int width() {
        return commandSpec().usageMessage().width();
    }

    /** A text table whose wrapping columns break lines at spaces only. */
    static final class SpaceWrappingTable extends TextTable {
        private final ColorScheme scheme;

        SpaceWrappingTable(ColorScheme scheme, Column... columns) {
            super(scheme, columns);
            this.scheme = scheme;
        }

        @Override
        public Cell putValue(int row, int col, Text value) {
            Column column = columns()[col];
            if (column.overflow != Overflow.WRAP || value == null || value.plainString().isEmpty()) {
                return super.putValue(row, col, value);
            }
            String plain = value.plainString();
            int start = 0;
            int line = row;
            while (true) {
                int indent = line == row ? 0 : indentWrappedLines;
                int room = column.width - column.indent - indent;
                int end = lineEnd(plain, start, room);
                Text piece = value.substring(start, end);
                if (indent > 0) {
                    piece = scheme.text(" ".repeat(indent)).concat(piece);
                }
                super.putValue(line, col, piece);
                start = end;
                while (start < plain.length() && plain.charAt(start) == ' ') {
                    start++;
                }
                if (start >= plain.length()) {
                    return new Cell(col, line);
                }
                addEmptyRow();
                line++;
            }
        }

        /** Where the line from {@code start} ends: at its last space within {@code room}, or cut at {@code room}. */
        static int lineEnd(String text, int start, int room) {
            if (text.length() - start <= room) {
                return text.length();
            }
            int space = text.lastIndexOf(' ', start + room);
            while (space > start && text.charAt(space - 1) == ' ') {
                space--;
            }
            return space > start ? space : start + Math.max(1, room);
        }
    }
}
