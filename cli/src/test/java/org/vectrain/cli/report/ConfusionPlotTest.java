package org.vectrain.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.eval.ConfusionMatrix;

/** The confusion matrix plot: axis titles on both axes, and a title that fits however long the setting. */
class ConfusionPlotTest {
    @TempDir
    Path dir;

    private static ConfusionMatrix matrix() {
        int n = 500;
        int[] labels = new int[n];
        int[] predictions = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            predictions[i] = i % 3 == 0 ? (i + 1) % 10 : i % 10;
        }
        return ConfusionMatrix.of(10, labels, predictions);
    }

    @Test
    void bothAxesHaveATitleAndALongTitleWraps() throws IOException {
        Path png = dir.resolve("confusion.png");
        ConfusionPlot.write(png, matrix(), ReportFixtures.CLASSES, "Test set confusion, "
                + CurvePlotsTest.LONG_SETTING);
        BufferedImage image = ImageIO.read(png.toFile());
        int k = 10;
        assertEquals(ConfusionPlot.AXIS_TITLE + ConfusionPlot.LABEL_WIDTH + k * ConfusionPlot.CELL
                + ConfusionPlot.ACCURACY_WIDTH + 8, image.getWidth());
        int rowsTop = image.getHeight() - 8 - k * ConfusionPlot.CELL;
        int titleHeight = rowsTop - ConfusionPlot.HEADER - ConfusionPlot.AXIS_TITLE;
        assertTrue(titleHeight > ConfusionPlot.TITLE_HEIGHT, "the long title took two lines: " + titleHeight);
        // "true class", written upwards in the strip left of the class names
        assertTrue(ink(image, 0, ConfusionPlot.AXIS_TITLE, rowsTop, rowsTop + k * ConfusionPlot.CELL),
                "a title on the rows' axis");
        // "predicted class", above the column headers
        int left = ConfusionPlot.AXIS_TITLE + ConfusionPlot.LABEL_WIDTH;
        assertTrue(ink(image, left, left + k * ConfusionPlot.CELL, titleHeight, titleHeight + ConfusionPlot.AXIS_TITLE),
                "a title on the columns' axis");
        CurvePlotsTest.assertBlankMargins(image, 0, titleHeight, "the title");
    }

    private static boolean ink(BufferedImage image, int x0, int x1, int y0, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF) {
                    return true;
                }
            }
        }
        return false;
    }
}
