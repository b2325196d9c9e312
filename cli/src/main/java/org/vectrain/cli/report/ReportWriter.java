package org.vectrain.cli.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.vectrain.engine.InputException;
import org.vectrain.engine.io.AtomicFiles;

/**
 * Builds an experiment report from blocks and writes it twice into one folder: {@value #MARKDOWN_FILE},
 * which links its images relatively (they live in the same folder or below), and {@value #HTML_FILE},
 * a single self-contained page with the images embedded as {@code data:} URIs, inline CSS and no
 * external resource, so it can be mailed or archived on its own.
 *
 * <p>The caller decides the structure, e.g.:
 * <pre>{@code
 * new ReportWriter("Softmax classifier on CIFAR-10")
 *     .section("Gradient comparison").paragraph("Largest relative error ...").table(gradients)
 *     .section("Training curves").subsection(setting).image("plots/acc-1.png", "Accuracy, " + setting)
 *     .section("Final test accuracy").table(accuracies)
 *     .write(reportDir);
 * }</pre>
 *
 * <p>Headings, captions and table cells are plain text, escaped in both outputs. Paragraphs are
 * Markdown, copied as they are into {@code report.md} and converted for HTML from a small subset
 * (see {@link MarkdownHtml}: code, strong, emphasis, links, bullet lists); anything outside it shows
 * as literal text, never as live HTML.
 */
public final class ReportWriter {
    /** Name of the Markdown report inside the report folder. */
    public static final String MARKDOWN_FILE = "report.md";
    /** Name of the self-contained HTML report inside the report folder. */
    public static final String HTML_FILE = "report.html";

    /**
     * The page's style: a reading column wide enough for the widest table at 1280 pixels, tables that
     * scroll sideways on their own rather than squeeze or widen the page on a phone, figures side by side
     * where there is room for two.
     */
    private static final String CSS = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;",
            "max-width:80rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222;background:#fff}",
            "h1{border-bottom:2px solid #ddd;padding-bottom:.3rem}",
            "h2{border-bottom:1px solid #eee;padding-bottom:.2rem;margin-top:2.5rem}",
            ".table{overflow-x:auto;margin:1rem 0}",
            "table{border-collapse:collapse;font-size:.95rem}",
            "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;white-space:nowrap}",
            "th{background:#f4f4f4}",
            "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}",
            "figure{margin:1rem 0}",
            "img{max-width:100%;height:auto}",
            "figcaption{color:#555;font-size:.9rem}",
            ".gallery{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,30rem),1fr));gap:0 1.5rem}",
            "details>summary{cursor:pointer}",
            "details>summary>h2{display:inline-block;border:none;margin:2.5rem 0 0}",
            "details{border-bottom:1px solid #eee}",
            "code{background:#f4f4f4;padding:0 .2rem;border-radius:3px}");

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    /** Starts a report; {@code title} is its top-level heading and the HTML page title. */
    public ReportWriter(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /** Starts a section (a second-level heading). */
    public ReportWriter section(String heading) {
        blocks.add(new Heading(2, Objects.requireNonNull(heading, "heading"), false));
        return this;
    }

    /**
     * Starts a section that the HTML page shows folded, its heading a line to click open; in Markdown it is
     * an ordinary section. It ends where the next section starts.
     */
    public ReportWriter foldedSection(String heading) {
        blocks.add(new Heading(2, Objects.requireNonNull(heading, "heading"), true));
        return this;
    }

    /** Starts a subsection (a third-level heading), e.g. one per setting. */
    public ReportWriter subsection(String heading) {
        blocks.add(new Heading(3, Objects.requireNonNull(heading, "heading"), false));
        return this;
    }

    /** Adds Markdown text: one or more paragraphs or bullet lists, separated by blank lines. */
    public ReportWriter paragraph(String markdown) {
        blocks.add(new Paragraph(Objects.requireNonNull(markdown, "markdown")));
        return this;
    }

    /** Adds a table. */
    public ReportWriter table(Table table) {
        blocks.add(new TableBlock(Objects.requireNonNull(table, "table")));
        return this;
    }

    /**
     * Adds an image that will be in the report folder when the report is written.
     *
     * @param relativePath the image's path relative to the report folder, with {@code /} separators,
     *     e.g. {@code plots/accuracy-1.png}; it must stay inside the folder
     * @param caption a line shown under the image and used as its alternative text
     * @throws IllegalArgumentException if the path is absolute, leaves the folder or is not a PNG,
     *     JPEG, GIF or SVG file
     */
    public ReportWriter image(String relativePath, String caption) {
        blocks.add(checkedImage(relativePath, caption));
        return this;
    }

    /**
     * Adds images that the HTML page shows side by side where the window has room for two (one under the
     * other on a narrow screen); in Markdown they follow one another. Each is given as for {@link #image}.
     *
     * @param pathsAndCaptions the images' paths and captions, in turn: path, caption, path, caption...
     * @throws IllegalArgumentException as {@link #image} does, or if a caption is missing
     */
    public ReportWriter gallery(String... pathsAndCaptions) {
        if (pathsAndCaptions.length % 2 != 0) {
            throw new IllegalArgumentException("gallery: every image needs a caption");
        }
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < pathsAndCaptions.length; i += 2) {
            images.add(checkedImage(pathsAndCaptions[i], pathsAndCaptions[i + 1]));
        }
        blocks.add(new Gallery(List.copyOf(images)));
        return this;
    }

    private static Image checkedImage(String relativePath, String caption) {
        Objects.requireNonNull(relativePath, "relativePath");
        Objects.requireNonNull(caption, "caption");
        String normalised = relativePath.replace('\\', '/');
        Path path = Path.of(normalised).normalize();
        if (normalised.isBlank() || normalised.startsWith("/") || path.isAbsolute() || path.startsWith("..")
                || normalised.contains(":")) {
            throw new IllegalArgumentException("report image " + relativePath + ": must be a path inside the report folder");
        }
        return new Image(path.toString().replace('\\', '/'), caption, mediaType(relativePath));
    }

    /**
     * Writes {@value #MARKDOWN_FILE} and {@value #HTML_FILE} into {@code dir}, each atomically. The
     * images must already be there.
     *
     * @throws InputException if an image is missing or unreadable, naming it; nothing is written then
     * @throws java.io.UncheckedIOException if a report file cannot be written (see {@link AtomicFiles})
     */
    public void write(Path dir) {
        Objects.requireNonNull(dir, "dir");
        String html = toHtml(dir);
        AtomicFiles.writeString(dir.resolve(MARKDOWN_FILE), toMarkdown());
        AtomicFiles.writeString(dir.resolve(HTML_FILE), html);
    }

    /** The Markdown report; images are linked relatively, as they are found from the report folder. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("# ").append(Tables.escapeMarkdown(title)).append("\n");
        for (Block block : blocks) {
            md.append('\n');
            if (block instanceof Heading h) {
                md.append("#".repeat(h.level)).append(' ').append(Tables.escapeMarkdown(h.text)).append('\n');
            } else if (block instanceof Paragraph p) {
                md.append(p.markdown.strip()).append('\n');
            } else if (block instanceof TableBlock t) {
                md.append(Tables.toMarkdown(t.table));
            } else if (block instanceof Image i) {
                markdownImage(md, i);
            } else if (block instanceof Gallery g) {
                for (int k = 0; k < g.images.size(); k++) {
                    md.append(k > 0 ? "\n" : "");
                    markdownImage(md, g.images.get(k));
                }
            }
        }
        return md.toString();
    }

    private static void markdownImage(StringBuilder md, Image i) {
        md.append("![").append(Tables.escapeMarkdown(i.caption)).append("](").append(urlPath(i.path)).append(")\n\n");
        md.append('*').append(Tables.escapeMarkdown(i.caption)).append("*\n");
    }

    /**
     * The self-contained HTML report, reading the images from {@code dir} to embed them.
     *
     * @throws InputException if an image is missing or unreadable, naming it
     */
    public String toHtml(Path dir) {
        Objects.requireNonNull(dir, "dir");
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // The page must not fetch anything: the policy makes a stray external reference fail visibly.
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
                .append("<title>").append(MarkdownHtml.escape(title)).append("</title>\n")
                .append("<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n")
                .append("<h1>").append(MarkdownHtml.escape(title)).append("</h1>\n");
        boolean folded = false;
        for (Block block : blocks) {
            if (block instanceof Heading h) {
                String heading = "<h" + h.level + '>' + MarkdownHtml.escape(h.text) + "</h" + h.level + '>';
                if (h.level == 2 && folded) {
                    html.append("</details>\n");
                    folded = false;
                }
                if (h.folded) {
                    html.append("<details>\n<summary>").append(heading).append("</summary>\n");
                    folded = true;
                } else {
                    html.append(heading).append('\n');
                }
            } else if (block instanceof Paragraph p) {
                html.append(MarkdownHtml.blocks(p.markdown));
            } else if (block instanceof TableBlock t) {
                htmlTable(html, t.table);
            } else if (block instanceof Image i) {
                htmlFigure(html, dir, i);
            } else if (block instanceof Gallery g) {
                html.append("<div class=\"gallery\">\n");
                for (Image i : g.images) {
                    htmlFigure(html, dir, i);
                }
                html.append("</div>\n");
            }
        }
        if (folded) {
            html.append("</details>\n");
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void htmlFigure(StringBuilder html, Path dir, Image i) {
        html.append("<figure>\n<img alt=\"").append(MarkdownHtml.escape(i.caption)).append("\" src=\"data:")
                .append(i.mediaType).append(";base64,")
                .append(Base64.getEncoder().encodeToString(readImage(dir, i.path))).append("\">\n")
                .append("<figcaption>").append(MarkdownHtml.escape(i.caption)).append("</figcaption>\n</figure>\n");
    }

    private static void htmlTable(StringBuilder html, Table table) {
        int width = table.columns().size();
        String[] classes = new String[width];
        for (int c = 0; c < width; c++) {
            classes[c] = table.isNumeric(c) ? " class=\"num\"" : "";
        }
        html.append("<div class=\"table\">\n<table>\n<thead>\n<tr>");
        for (int c = 0; c < width; c++) {
            html.append("<th").append(classes[c]).append('>').append(MarkdownHtml.escape(table.columns().get(c))).append("</th>");
        }
        html.append("</tr>\n</thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            html.append("<tr>");
            for (int c = 0; c < width; c++) {
                String cell = MarkdownHtml.escape(row.get(c)).replace("\r\n", "\n").replace("\n", "<br>");
                html.append("<td").append(classes[c]).append('>').append(cell).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n</div>\n");
    }

    private static byte[] readImage(Path dir, String relativePath) {
        Path file = dir.resolve(relativePath);
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": report image not found", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read report image (" + e.getMessage() + ")", e);
        }
    }

    private static String mediaType(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".png")) {
            return "image/png";
        }
        if (lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (lower.endsWith(".gif")) {
            return "image/gif";
        }
        if (lower.endsWith(".svg")) {
            return "image/svg+xml";
        }
        throw new IllegalArgumentException("report image " + path + ": not a .png, .jpg, .gif or .svg file");
    }

    /** A relative path as a URL path: each segment percent-encoded as UTF-8, except unreserved characters. */
    private static String urlPath(String path) {
        StringBuilder url = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/".indexOf(c) >= 0) {
                url.append((char) c);
            } else {
                url.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return url.toString();
    }

    private sealed interface Block {
    }

    /** @param folded whether the HTML page shows the section folded (level 2 only) */
    private record Heading(int level, String text, boolean folded) implements Block {
    }

    private record Paragraph(String markdown) implements Block {
    }

    private record TableBlock(Table table) implements Block {
    }

    private record Image(String path, String caption, String mediaType) implements Block {
    }

    private record Gallery(List<Image> images) implements Block {
    }
}
