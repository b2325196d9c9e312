package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.data.CifarFixtures;

/**
 * The suite's HTML report in a real browser (headless Chromium), at 1280 pixels wide as on a laptop and at
 * 390 as on a phone: the summary is on the first screen, no table needs to scroll at 1280 (the gradient
 * check's included, unfolded), nothing but a table's own scroll box is wider than a phone's screen. The page
 * is measured from a copy with a script added (the report itself allows none) that writes the layout's
 * figures into the page, which Chromium then prints. Screenshots at both widths are left in
 * {@code target/report-screenshots/} for a look. Skipped, saying so, where no Chromium is installed.
 */
class ReportInBrowserTest {
    /** Where a test run leaves the screenshots. */
    static final Path SCREENSHOTS = Path.of("target", "report-screenshots");

    @TempDir
    static Path tmp;
    static Path report;
    static String browser;

    @BeforeAll
    static void writeReport() throws IOException {
        browser = findChromium().orElse(null);
        assumeTrue(browser != null, "SKIPPED: no chromium on PATH (or VECTRAIN_CHROMIUM); install Debian's chromium "
                + "to check the report in a browser");
        Path data = CifarFixtures.batchesFolder(tmp, 120);
        report = tmp.resolve("report");
        CliRun.of("suite", "--data", data.toString(), "--out", report.toString(), "--epochs", "2", "--quiet")
                .assertOk();
    }

    static Optional<String> findChromium() {
        String chosen = System.getenv("VECTRAIN_CHROMIUM");
        if (chosen != null && !chosen.isBlank()) {
            return Optional.of(chosen);
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name).toString());
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void atLaptopWidthTheSummaryComesFirstAndNoTableScrolls() throws Exception {
        Map<String, String> m = measure(1280, false);
        assertEquals("0", m.get("overflowing"), "elements sticking out of the page: " + m);
        assertEquals("0", m.get("scrollingTables"), "tables wider than the page at 1280: " + m);
        int summary = Integer.parseInt(m.get("h2:Summary"));
        int accuracyTable = Integer.parseInt(m.get("table0"));
        int gradients = m.entrySet().stream().filter(e -> e.getKey().startsWith("h2:Gradient check"))
                .mapToInt(e -> Integer.parseInt(e.getValue())).findFirst().orElseThrow();
        assertTrue(summary < accuracyTable && accuracyTable < 700, "the accuracy table on the first screen: " + m);
        assertTrue(gradients > Integer.parseInt(m.get("h2:Per-class test accuracy")), "the gradient check later: " + m);
        screenshot(1280);
    }

    @Test
    void atPhoneWidthOnlyTablesScrollAndTheImagesShrink() throws Exception {
        Map<String, String> m = measure(390, true);
        assertEquals("0", m.get("overflowing"), "elements wider than a 390-pixel screen: " + m);
        assertEquals("0", m.get("wideImages"), "images wider than their column: " + m);
        screenshot(390);
    }

    /** Runs the measuring copy of the report at {@code width} and returns the figures its script wrote. */
    private Map<String, String> measure(int width, boolean narrow) throws Exception {
        String html = Files.readString(report.resolve("report.html"));
        String script = "<script>window.addEventListener('load',()=>{"
                + "if(" + narrow + "){document.documentElement.style.width='" + width + "px';}"
                + "document.querySelectorAll('details').forEach(d=>d.open=true);"
                + "const limit=" + width + ";const r=[];let over=0,scrolling=0,wide=0,t=0;"
                + "document.querySelectorAll('body *').forEach(e=>{if(e.closest('div.table')||e.tagName==='SCRIPT')"
                + "return;if(e.getBoundingClientRect().right>limit+0.5)over++;});"
                + "document.querySelectorAll('div.table').forEach(d=>{if(d.scrollWidth>d.clientWidth)scrolling++;"
                + "r.push('table'+(t++)+'='+Math.round(d.getBoundingClientRect().top+scrollY));});"
                + "document.querySelectorAll('img').forEach(i=>{if(i.getBoundingClientRect().width>"
                + "i.parentElement.getBoundingClientRect().width+0.5)wide++;});"
                + "document.querySelectorAll('h2').forEach(h=>r.push('h2:'+h.textContent+'='"
                + "+Math.round(h.getBoundingClientRect().top+scrollY)));"
                + "r.push('overflowing='+over,'scrollingTables='+scrolling,'wideImages='+wide);"
                + "const p=document.createElement('pre');p.id='measured';p.textContent=r.join('\\n');"
                + "document.body.appendChild(p);});</script>";
        String measured = html.replace("style-src 'unsafe-inline'", "style-src 'unsafe-inline'; script-src "
                + "'unsafe-inline'").replace("</body>", script + "</body>");
        Path copy = tmp.resolve("measure-" + width + ".html");
        Files.writeString(copy, measured);
        String dom = chromium(width, "--virtual-time-budget=10000", "--dump-dom", copy.toUri().toString());
        Matcher pre = Pattern.compile("<pre id=\"measured\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertTrue(pre.find(), "the page was measured: " + dom.substring(0, Math.min(300, dom.length())));
        Map<String, String> figures = new HashMap<>();
        for (String line : pre.group(1).split("\n")) {
            int eq = line.lastIndexOf('=');
            figures.put(line.substring(0, eq).replace("&amp;", "&"), line.substring(eq + 1));
        }
        return figures;
    }

    private void screenshot(int width) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        Path png = SCREENSHOTS.resolve("report-" + width + ".png").toAbsolutePath();
        chromium(width, "--screenshot=" + png, report.resolve("report.html").toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(width, image.getWidth(), "screenshot width");
    }

    /** Runs headless Chromium in a fresh profile that talks to no server, and returns what it printed. */
    private String chromium(int width, String... args) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "profile");
        List<String> command = new ArrayList<>(List.of(browser, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=" + width + ",2000"));
        command.addAll(List.of(args));
        Path output = tmp.resolve("chromium-" + width + ".out");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "chromium finished within two minutes");
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        return Files.readString(output);
    }
}
