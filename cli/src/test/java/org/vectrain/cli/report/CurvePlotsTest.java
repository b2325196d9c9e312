package org.vectrain.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vectrain.cli.report.ReportFixtures.run;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class CurvePlotsTest {
    @TempDir
    Path dir;

    @Test
    void settingReadsLikeTheAssignment() {
        assertEquals("λ=0.1, n_batch=100, η=0.001, 40 epochs", CurvePlots.setting(0.1, 100, 0.001, 40));
        assertEquals("λ=0, n_batch=100, η=0.1, 1 epoch", CurvePlots.setting(0, 100, 0.1, 1));
        assertEquals("λ=1, n_batch=100, η=0.0001, 40 epochs", CurvePlots.setting(1.0, 100, 1e-4, 40));
    }

    @Test
    void writesAccuracyAndTwoPanelLossCostPlotsForAFullRunWithAnEpochZeroPoint() throws IOException {
        TrainingCurves curves = run(0, 41);
        Path accuracy = dir.resolve("plots/accuracy.png");
        Path lossCost = dir.resolve("plots/loss-cost.png");
        CurvePlots.writeAccuracy(accuracy, curves);
        CurvePlots.writeLossAndCost(lossCost, curves);
        assertImage(accuracy, CurvePlots.WIDTH, CurvePlots.HEIGHT);
        assertImage(lossCost, CurvePlots.WIDTH, 2 * CurvePlots.HEIGHT);
        assertEquals(Set.of("accuracy.png", "loss-cost.png"), names(dir.resolve("plots")));
        assertTrue(GraphicsEnvironment.isHeadless(), "plots must be drawn with AWT headless");

        XYChart chart = CurvePlots.accuracyChart(curves);
        assertEquals(Set.of("training", "validation"), chart.getSeriesMap().keySet());
        assertEquals("Accuracy — λ=0.1, n_batch=100, η=0.001, 40 epochs", chart.getTitle());
        assertEquals(0.0, chart.getSeriesMap().get("training").getXMin());
        assertEquals(40.0, chart.getSeriesMap().get("training").getXMax());
    }

    @Test
    void anEmptyHistoryGivesAnEmptyTitledPlot() throws IOException {
        double[] none = new double[0];
        TrainingCurves empty = new TrainingCurves("λ=0, n_batch=100, η=0.1, 40 epochs", 1, none, none, none, none, none, none);
        Path png = dir.resolve("empty.png");
        CurvePlots.writeAccuracy(png, empty);
        CurvePlots.writeLossAndCost(dir.resolve("empty-loss.png"), empty);
        assertImage(png, CurvePlots.WIDTH, CurvePlots.HEIGHT);
        XYChart chart = CurvePlots.lossChart(empty);
        assertTrue(chart.getSeriesMap().isEmpty());
        assertTrue(chart.getTitle().endsWith("(no epochs recorded)"), chart.getTitle());
    }

    @Test
    void oneEpochIsDrawn() throws IOException {
        TrainingCurves one = run(1, 1);
        Path png = dir.resolve("one.png");
        CurvePlots.writeLossAndCost(png, one);
        assertImage(png, CurvePlots.WIDTH, 2 * CurvePlots.HEIGHT);
        assertEquals(1.0, CurvePlots.lossChart(one).getSeriesMap().get("training").getXMax());
    }

    @Test
    void aDivergedRunDropsNonFinitePointsAndSaysSoInTheLegend() throws IOException {
        double[] loss = {2.3, 5.1, 80.0, Double.POSITIVE_INFINITY, Double.NaN};
        double[] allNaN = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        double[] accuracy = {0.1, 0.12, 0.1, 0.1, 0.1};
        TrainingCurves diverged = new TrainingCurves("λ=0, n_batch=100, η=10, 5 epochs", 1,
                loss, allNaN, loss, allNaN, accuracy, accuracy);
        CurvePlots.writeLossAndCost(dir.resolve("diverged.png"), diverged);
        CurvePlots.writeAccuracy(dir.resolve("diverged-accuracy.png"), diverged);
        XYChart chart = CurvePlots.lossChart(diverged);
        assertEquals(Set.of("training (2 non-finite points dropped)"), chart.getSeriesMap().keySet());
        assertTrue(chart.getTitle().endsWith("(no finite values: validation)"), chart.getTitle());
        assertEquals(3.0, chart.getSeriesMap().get("training (2 non-finite points dropped)").getXMax());

        double[] oneBad = {1.0, Double.NaN, 0.5};
        TrainingCurves single = new TrainingCurves("s", 1, oneBad, oneBad, null, null, null, null);
        assertEquals(Set.of("training (1 non-finite point dropped)", "validation (1 non-finite point dropped)"),
                CurvePlots.lossChart(single).getSeriesMap().keySet());
    }

    @Test
    void seriesThatWereNotRecordedAreLeftOut() {
        double[] loss = {2.0, 1.9};
        TrainingCurves lossOnly = new TrainingCurves("s", 1, loss, null, null, null, null, null);
        assertEquals(Set.of("training"), CurvePlots.lossChart(lossOnly).getSeriesMap().keySet());
        assertTrue(CurvePlots.costChart(lossOnly).getSeriesMap().isEmpty());
        CurvePlots.writeLossAndCost(dir.resolve("loss-only.png"), lossOnly);
    }

    @Test
    void overlayDrawsRunsOfDifferentLengthsAndRefusesDuplicateLabels() throws IOException {
        Path png = dir.resolve("compare.png");
        List<Curve> curves = List.of(new Curve("run A", 0, new double[] {0.1, 0.3, 0.35}),
                new Curve("run B", 1, new double[] {0.2, 0.25, 0.3, 0.31, Double.NaN}));
        CurvePlots.writeOverlay(png, "Validation accuracy", "accuracy", curves);
        assertImage(png, CurvePlots.WIDTH, CurvePlots.HEIGHT);
        XYChart chart = CurvePlots.overlayChart("Validation accuracy", "accuracy", curves);
        assertEquals(Set.of("run A", "run B (1 non-finite point dropped)"), chart.getSeriesMap().keySet());
        assertThrows(IllegalArgumentException.class, () -> CurvePlots.overlayChart("t", "y",
                List.of(new Curve("same", 1, new double[1]), new Curve("same", 1, new double[1]))));
    }

    /** The label of a setting with every extra, as long as the bonus section's labels get. */
    static final String LONG_SETTING = "λ=0, n_batch=100, η=0.03, 40 epochs, shuffled, flips, shifts ±1, cyclic η "
            + "0.0001..0.03 over 2 x 900 steps, best epoch, weights averaged from epoch 5, loss bce";

    @Test
    void manyCurvesGetAFittingLegendWithTheBestInColourAndTheRestInGrey() throws IOException {
        List<Curve> curves = new java.util.ArrayList<>();
        for (int i = 0; i < 18; i++) {
            double[] values = new double[40];
            for (int e = 0; e < 40; e++) {
                values[e] = 0.4 - 0.01 * i - 0.1 * Math.exp(-e / 5.0);
            }
            curves.add(new Curve(CurvePlots.setting(0.1 * i, 100, 0.001, 40), 1, values));
        }
        Path png = dir.resolve("search.png");
        CurvePlots.writeOverlay(png, "Validation accuracy of the 18 settings", "validation accuracy", curves);
        XYChart chart = CurvePlots.overlayChart("Validation accuracy of the 18 settings", "validation accuracy",
                curves);
        assertEquals(CurvePlots.HIGHLIGHTED + 1, CurvePlots.legendEntries(chart), "the best five and one for the rest");
        assertEquals(18, chart.getSeriesMap().size(), "every curve drawn");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(CurvePlots.WIDTH, image.getWidth());
        assertTrue(image.getHeight() >= CurvePlots.HEIGHT + CurvePlots.HIGHLIGHTED * 15,
                "taller by the stacked legend: " + image.getHeight());
        assertTitleWithinBounds(image);
        assertBlankMargins(image, image.getHeight() - 150, image.getHeight(), "the stacked legend");
        // every coloured entry has its own colour
        assertEquals(CurvePlots.HIGHLIGHTED, chart.getSeriesMap().values().stream()
                .filter(org.knowm.xchart.XYSeries::isShowInLegend).map(series -> series.getLineColor())
                .filter(c -> !c.equals(new java.awt.Color(0xbbbbbb))).distinct().count());
        assertTrue(chart.getTitle().endsWith("(the best 5 in colour)"), chart.getTitle());
    }

    @Test
    void aLongTitleIsWrappedToFitTheImage() throws IOException {
        TrainingCurves curves = run(1, 40);
        TrainingCurves longTitled = new TrainingCurves(LONG_SETTING, 1, curves.trainingLoss(), curves.validationLoss(),
                curves.trainingCost(), curves.validationCost(), curves.trainingAccuracy(), curves.validationAccuracy());
        Path png = dir.resolve("long.png");
        CurvePlots.writeAccuracy(png, longTitled);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(CurvePlots.WIDTH, image.getWidth());
        java.awt.FontMetrics fm = CurvePlots.metrics(CurvePlots.TITLE_FONT);
        List<String> lines = CurvePlots.titleLines("Accuracy — " + LONG_SETTING, fm,
                CurvePlots.WIDTH - 2 * CurvePlots.TITLE_MARGIN);
        assertTrue(lines.size() >= 2, "wrapped: " + lines);
        assertEquals("Accuracy — " + LONG_SETTING, String.join(" ", lines), "every word kept");
        for (String line : lines) {
            assertTrue(fm.stringWidth(line) <= CurvePlots.WIDTH - 2 * CurvePlots.TITLE_MARGIN, line);
        }
        assertEquals(CurvePlots.HEIGHT + (lines.size() - 1) * fm.getHeight(), image.getHeight(),
                "one more line's height per extra title line");
        assertTitleWithinBounds(image);
    }

    @Test
    void smallMultiplesShareTheirAxesAndEveryAxisHasATitle() throws IOException {
        TrainingCurves a = run(1, 40);
        TrainingCurves b = new TrainingCurves("another setting", 1, null, a.validationLoss(), null,
                a.validationCost(), null, java.util.Arrays.stream(a.validationAccuracy()).map(v -> v / 2).toArray());
        List<TrainingCurves> runs = List.of(a, b, a, b);
        Path png = dir.resolve("small.png");
        CurvePlots.writeSmallMultiples(png, runs, 2);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * CurvePlots.SMALL_WIDTH, image.getWidth());
        assertEquals(2 * CurvePlots.SMALL_HEIGHT, image.getHeight());
        List<XYChart> charts = CurvePlots.smallMultiples(runs, 2);
        for (XYChart chart : charts) {
            assertEquals(charts.get(0).getStyler().getYAxisMin(), chart.getStyler().getYAxisMin());
            assertEquals(charts.get(0).getStyler().getYAxisMax(), chart.getStyler().getYAxisMax());
            assertEquals("epoch", chart.getXAxisTitle());
            assertEquals("accuracy", chart.getYAxisTitle());
        }
        assertTrue(charts.get(0).getStyler().getYAxisMin() <= 0.05 && charts.get(0).getStyler().getYAxisMax() >= 0.38,
                "the range of both runs");
        assertTitleWithinBounds(image);
    }

    /** The title band (the rows above the first chart) has text, and none of it within the side margins. */
    static void assertTitleWithinBounds(BufferedImage image) {
        int band = 8 + CurvePlots.metrics(CurvePlots.TITLE_FONT).getHeight();
        boolean ink = false;
        for (int y = 0; y < band; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                ink |= (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
            }
        }
        assertTrue(ink, "a title is drawn");
        assertBlankMargins(image, 0, band, "the title");
    }

    /** No pixel of rows [top, bottom) within half a title margin of the left or right edge is drawn. */
    static void assertBlankMargins(BufferedImage image, int top, int bottom, String what) {
        int margin = CurvePlots.TITLE_MARGIN / 2;
        for (int y = Math.max(0, top); y < bottom; y++) {
            for (int x = 0; x < margin; x++) {
                assertEquals(0xFFFFFF, image.getRGB(x, y) & 0xFFFFFF, what + " reaches the left edge at y=" + y);
                assertEquals(0xFFFFFF, image.getRGB(image.getWidth() - 1 - x, y) & 0xFFFFFF,
                        what + " reaches the right edge at y=" + y);
            }
        }
    }

    @Test
    void epochLabelsUseARoundStepOfAtMostTenLabels() {
        assertEquals(1, CurvePlots.labelStep(1));
        assertEquals(1, CurvePlots.labelStep(10));
        assertEquals(2, CurvePlots.labelStep(11));
        assertEquals(5, CurvePlots.labelStep(40));
        assertEquals(20, CurvePlots.labelStep(199));
        assertEquals(5000, CurvePlots.labelStep(50_000));
    }

    @Test
    void trainingCurvesAreValidated() {
        double[] two = new double[2];
        double[] three = new double[3];
        assertThrows(IllegalArgumentException.class, () -> new TrainingCurves("s", 1, two, three, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new TrainingCurves("s", 2, two, two, null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new Curve("c", -1, two));
    }

    private static void assertImage(Path png, int width, int height) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, png + " is not a readable image");
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
