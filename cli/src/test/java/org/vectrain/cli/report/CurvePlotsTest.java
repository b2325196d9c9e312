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
