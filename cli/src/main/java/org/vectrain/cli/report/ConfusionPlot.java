package org.vectrain.cli.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.vectrain.engine.eval.ConfusionMatrix;
import org.vectrain.engine.io.AtomicFiles;

/**
 * A confusion matrix as a PNG heat map: rows are true classes, columns predicted ones (the axes say so);
 * each cell shows its count and is shaded by the fraction of its row (so that classes of different sizes
 * compare), and each row ends with the class's accuracy.
 */
public final class ConfusionPlot {
    static {
        Awt.headless();
    }

    static final int CELL = 56;
    static final int LABEL_WIDTH = 96;
    static final int HEADER = 110;
    static final int ACCURACY_WIDTH = 72;
    static final int TITLE_HEIGHT = 28;
    /** Room for the axis titles: "predicted class" above the columns, "true class" left of the rows. */
    static final int AXIS_TITLE = 22;

    private ConfusionPlot() {
    }

    /**
     * Writes {@code matrix} with {@code names} for its classes and {@code title} above it.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void write(Path png, ConfusionMatrix matrix, List<String> names, String title) {
        int k = matrix.classes();
        int left = AXIS_TITLE + LABEL_WIDTH;
        int width = left + k * CELL + ACCURACY_WIDTH + 8;
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        FontMetrics titleMetrics = CurvePlots.metrics(titleFont);
        List<String> titleLines = CurvePlots.titleLines(title, titleMetrics, width - 16);
        int titleHeight = Math.max(TITLE_HEIGHT, 10 + titleLines.size() * titleMetrics.getHeight());
        int height = titleHeight + AXIS_TITLE + HEADER + k * CELL + 8;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            for (int i = 0; i < titleLines.size(); i++) {
                g.drawString(titleLines.get(i), 8, 6 + titleMetrics.getAscent() + i * titleMetrics.getHeight());
            }
            int top = titleHeight + AXIS_TITLE + HEADER;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            FontMetrics axis = g.getFontMetrics();
            String predicted = "predicted class";
            g.drawString(predicted, left + (k * CELL - axis.stringWidth(predicted)) / 2, titleHeight + axis.getAscent());
            String actual = "true class";
            Graphics2D vertical = (Graphics2D) g.create();
            vertical.translate(4 + axis.getAscent(), top + (k * CELL + axis.stringWidth(actual)) / 2);
            vertical.rotate(-Math.PI / 2);
            vertical.drawString(actual, 0, 0);
            vertical.dispose();
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            // column headers, written upwards so long class names fit
            for (int p = 0; p < k; p++) {
                Graphics2D rotated = (Graphics2D) g.create();
                rotated.translate(left + p * CELL + CELL / 2 + 4, top - 6);
                rotated.rotate(-Math.PI / 2);
                rotated.drawString(names.get(p), 0, 0);
                rotated.dispose();
            }
            g.drawString("accuracy", left + k * CELL + 8, top - 6);
            for (int t = 0; t < k; t++) {
                long support = matrix.support(t);
                int y = top + t * CELL;
                g.setColor(Color.BLACK);
                g.drawString(names.get(t), AXIS_TITLE + 4, y + CELL / 2 + fm.getAscent() / 2);
                for (int p = 0; p < k; p++) {
                    long c = matrix.count(t, p);
                    double share = support == 0 ? 0 : (double) c / support;
                    // white to dark blue by row share; the diagonal in green so errors stand apart
                    Color base = t == p ? new Color(0x2ca02c) : new Color(0x1f4e9c);
                    g.setColor(blend(Color.WHITE, base, Math.min(1, share * (t == p ? 1.2 : 3))));
                    int x = left + p * CELL;
                    g.fillRect(x, y, CELL, CELL);
                    g.setColor(new Color(0xcccccc));
                    g.drawRect(x, y, CELL, CELL);
                    g.setColor(share > 0.3 ? Color.WHITE : Color.BLACK);
                    String text = Long.toString(c);
                    g.drawString(text, x + (CELL - fm.stringWidth(text)) / 2, y + CELL / 2 + fm.getAscent() / 2);
                }
                g.setColor(Color.BLACK);
                double acc = matrix.accuracy(t);
                g.drawString(Double.isFinite(acc) ? String.format(Locale.ROOT, "%.1f %%", 100 * acc) : "n/a",
                        left + k * CELL + 8, y + CELL / 2 + fm.getAscent() / 2);
            }
        } finally {
            g.dispose();
        }
        Png.write(png, image);
    }

    /** A bold title font of at most 14 points, smaller until {@code text} fits in {@code width} pixels. */
    static void fitFont(Graphics2D g, String text, int width) {
        int size = 14;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        while (size > 8 && g.getFontMetrics().stringWidth(text) > width) {
            size--;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
        }
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + t * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + t * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + t * (b.getBlue() - a.getBlue())));
    }
}
