package org.vectrain.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TablesTest {
    @TempDir
    Path dir;

    private static final Table ACCURACY = Table.builder("setting", "test accuracy (%)")
            .row("λ=0, n_batch=100, η=0.1", "28.24")
            .row("λ=1, n_batch=100, η=0.001", "37.57")
            .build();

    @Test
    void csvQuotesOnlyWhatRfc4180Requires() {
        Table table = Table.builder("name", "note", "value")
                .row("plain", "has, comma", 1.5)
                .row("say \"hi\"", "two\nlines", -2)
                .row("", " spaced ", "NaN")
                .build();
        assertEquals("name,note,value\r\n"
                + "plain,\"has, comma\",1.5\r\n"
                + "\"say \"\"hi\"\"\",\"two\nlines\",-2\r\n"
                + ", spaced ,NaN\r\n", Tables.toCsv(table));
    }

    @Test
    void markdownIsPaddedAndRightAlignsNumbers() {
        assertEquals(""
                + "| setting                    | test accuracy (%) |\n"
                + "| -------------------------- | ----------------: |\n"
                + "| λ=0, n\\_batch=100, η=0.1   |             28.24 |\n"
                + "| λ=1, n\\_batch=100, η=0.001 |             37.57 |\n", Tables.toMarkdown(ACCURACY));
    }

    @Test
    void markdownCellsShowTheirTextLiterally() {
        Table table = Table.builder("a|b", "c").row("<script>x</script>", "*not bold*\nnext line").build();
        assertEquals(""
                + "| a\\|b                   | c                         |\n"
                + "| ---------------------- | ------------------------- |\n"
                + "| \\<script\\>x\\</script\\> | \\*not bold\\*<br>next line |\n", Tables.toMarkdown(table));
    }

    @Test
    void writesBothFilesAtomically() throws IOException {
        Tables.writeCsv(dir.resolve("tables/accuracy.csv"), ACCURACY);
        Tables.writeMarkdown(dir.resolve("tables/accuracy.md"), ACCURACY);
        assertEquals(Tables.toCsv(ACCURACY), Files.readString(dir.resolve("tables/accuracy.csv")));
        assertEquals(Tables.toMarkdown(ACCURACY), Files.readString(dir.resolve("tables/accuracy.md")));
        try (var files = Files.list(dir.resolve("tables"))) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void emptyTablesAndRaggedRows() {
        Table empty = Table.builder("only").build();
        assertEquals("only\r\n", Tables.toCsv(empty));
        assertEquals("| only |\n| ---- |\n", Tables.toMarkdown(empty));
        assertThrows(IllegalArgumentException.class, () -> Table.builder("a", "b").row("1"));
        assertThrows(IllegalArgumentException.class, () -> new Table(List.of("a"), List.of(List.of("1", "2"))));
        assertThrows(IllegalArgumentException.class, () -> new Table(List.of(), List.of()));
    }
}
