package org.vectrain.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;

class ReportWriterTest {
    @TempDir
    Path dir;

    private ReportWriter report() {
        Table gradients = Table.builder("parameter", "max relative error", "note")
                .row("W", "3.1e-07", "<1e-6 passes")
                .row("b", "1.2e-08", "a & b")
                .build();
        String setting = CurvePlots.setting(0.1, 100, 0.001, 40);
        return new ReportWriter("Softmax on CIFAR-10 <DD2424>")
                .section("Gradient comparison")
                .paragraph("Analytic against **centred differences**, `h = 1e-6`; see [the notes](notes/grad.txt).\n\n"
                        + "- a <script>alert(1)</script> item\n- [bad](javascript:alert(1)) link")
                .table(gradients)
                .section("Training curves")
                .subsection(setting)
                .image("plots/loss cost (1).png", "Loss and cost, " + setting)
                .section("Weight montages")
                .subsection(setting)
                .image("montage-1.png", "W as images, " + setting)
                .section("Final test accuracy")
                .table(Table.builder("setting", "accuracy").row(setting, "39.12 %").build());
    }

    private void writeImages() {
        CurvePlots.writeLossAndCost(dir.resolve("plots/loss cost (1).png"), ReportFixtures.run(0, 41));
        WeightMontage.write(dir.resolve("montage-1.png"), ReportFixtures.syntheticW(), ReportFixtures.CLASSES, "λ=0.1");
    }

    @Test
    void htmlIsSelfContainedAndEscaped() throws IOException {
        writeImages();
        report().write(dir);
        String html = Files.readString(dir.resolve(ReportWriter.HTML_FILE));

        List<String> uris = matches(Pattern.compile("src=\"([^\"]*)\""), html);
        assertEquals(2, uris.size());
        for (String uri : uris) {
            assertTrue(uri.startsWith("data:image/png;base64,"), uri.substring(0, Math.min(40, uri.length())));
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("plots/loss cost (1).png")),
                Base64.getDecoder().decode(uris.get(0).substring("data:image/png;base64,".length())));
        assertFalse(html.contains("src=\"http"));
        assertFalse(Pattern.compile("<link|<script|url\\(|@import", Pattern.CASE_INSENSITIVE).matcher(html).find());

        assertTrue(html.contains("<title>Softmax on CIFAR-10 &lt;DD2424&gt;</title>"));
        assertTrue(html.contains("<td>&lt;1e-6 passes</td>"));
        assertTrue(html.contains("<td>a &amp; b</td>"));
        assertTrue(html.contains("<li>a &lt;script&gt;alert(1)&lt;/script&gt; item</li>"));
        assertTrue(html.contains("<strong>centred differences</strong>, <code>h = 1e-6</code>"));
        assertTrue(html.contains("<a href=\"notes/grad.txt\">the notes</a>"));
        assertFalse(html.contains("href=\"javascript"), "unsafe link targets are not linked");
        assertTrue(html.contains("<td class=\"num\">3.1e-07</td>"), "numeric columns are right-aligned");
        assertTrue(html.contains("<h3>λ=0.1, n_batch=100, η=0.001, 40 epochs</h3>"));
    }

    @Test
    void markdownLinksItsImagesRelatively() throws IOException {
        writeImages();
        report().write(dir);
        Path md = dir.resolve(ReportWriter.MARKDOWN_FILE);
        String text = Files.readString(md);
        List<String> links = matches(Pattern.compile("!\\[[^\\]]*\\]\\(([^)]*)\\)"), text);
        assertEquals(List.of("plots/loss%20cost%20%281%29.png", "montage-1.png"), links);
        for (String link : links) {
            Path target = md.getParent().resolve(URLDecoder.decode(link, StandardCharsets.UTF_8));
            assertTrue(Files.isRegularFile(target), link + " does not resolve from " + md);
        }
        assertTrue(text.startsWith("# Softmax on CIFAR-10 \\<DD2424\\>\n"), text);
        assertTrue(text.contains("\n## Gradient comparison\n"));
        assertTrue(text.contains("\n### λ=0.1, n\\_batch=100, η=0.001, 40 epochs\n"));
        assertTrue(text.contains("| W         |            3.1e-07 | \\<1e-6 passes |"), text);
    }

    @Test
    void aMissingImageIsNamedAndNothingIsWritten() {
        InputException e = assertThrows(InputException.class, () -> report().write(dir));
        assertEquals(dir.resolve("plots/loss cost (1).png") + ": report image not found", e.getMessage());
        assertFalse(Files.exists(dir.resolve(ReportWriter.MARKDOWN_FILE)));
        assertFalse(Files.exists(dir.resolve(ReportWriter.HTML_FILE)));
    }

    @Test
    void imagePathsMustStayInsideTheReportFolder() {
        ReportWriter report = new ReportWriter("r");
        assertThrows(IllegalArgumentException.class, () -> report.image("../elsewhere.png", "x"));
        assertThrows(IllegalArgumentException.class, () -> report.image("/tmp/abs.png", "x"));
        assertThrows(IllegalArgumentException.class, () -> report.image("plots/../../x.png", "x"));
        assertThrows(IllegalArgumentException.class, () -> report.image("https://example.org/x.png", "x"));
        assertThrows(IllegalArgumentException.class, () -> report.image("plot.bmp", "x"));
        report.image("./plots/../a.png", "fine");
        assertTrue(report.toMarkdown().contains("![fine](a.png)"));
    }

    @Test
    void anEmptyReportIsStillAValidPage() throws IOException {
        new ReportWriter("Nothing yet").write(dir);
        assertEquals("# Nothing yet\n", Files.readString(dir.resolve(ReportWriter.MARKDOWN_FILE)));
        String html = Files.readString(dir.resolve(ReportWriter.HTML_FILE));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.endsWith("</html>\n"));
    }

    @Test
    void inlineMarkdownSubset() {
        assertEquals("2 * 3 * 4", MarkdownHtml.inline("2 * 3 * 4"));
        assertEquals("<em>a</em> and n_batch", MarkdownHtml.inline("*a* and n_batch"));
        assertEquals("literal *stars* &amp; [brackets]", MarkdownHtml.inline("literal \\*stars\\* & [brackets]"));
        assertEquals("[x](javascript:alert(1))", MarkdownHtml.inline("[x](javascript:alert(1))"));
        assertEquals("<a href=\"https://cs231n.github.io\">cs231n</a>", MarkdownHtml.inline("[cs231n](https://cs231n.github.io)"));
        assertEquals("<p>one\ntwo</p>\n<p>three</p>\n", MarkdownHtml.blocks("one\ntwo\n\n  \nthree"));
    }

    private static List<String> matches(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
