package org.vectrain.cli.report;

import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Two overlaid histograms on one axis, as fractions of their own group, e.g. the probability given to
 * the correct class by correctly and by incorrectly classified test images. Fractions rather than
 * counts, so that a small group stays visible next to a large one.
 */
public final class Histogram {
    static {
        Awt.headless();
    }

    static final int WIDTH = 800;
    static final int HEIGHT = 450;
    static final int BINS = 30;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final Color FIRST = new Color(0x2ca02c);
    private static final Color SECOND = new Color(0xd62728);

    private Histogram() {
    }

    /**
     * Writes the histograms of {@code first} and {@code second} over the range of both (or [0, 1] when
     * {@code unitRange}), {@value #BINS} bins.
     */
    public static void write(Path png, String title, String xTitle, String firstLabel, double[] first,
            String secondLabel, double[] second, boolean unitRange) {
        double lo = unitRange ? 0 : Double.POSITIVE_INFINITY;
        double hi = unitRange ? 1 : Double.NEGATIVE_INFINITY;
        if (!unitRange) {
            for (double[] values : new double[][] {first, second}) {
                for (double v : values) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (!(hi > lo)) {
                lo = Double.isFinite(lo) ? lo - 1 : 0;
                hi = lo + 2;
            }
        }
        double[] a = fractions(first, lo, hi);
        double[] b = fractions(second, lo, hi);
        double top = 0;
        for (int i = 0; i < BINS; i++) {
            top = Math.max(top, Math.max(a[i], b[i]));
        }
        top = top == 0 ? 1 : top * 1.1;
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int plotW = WIDTH - LEFT - RIGHT;
            int plotH = HEIGHT - TOP - BOTTOM;
            g.setColor(new Color(0xdddddd));
            for (int t = 0; t <= 4; t++) {
                int y = TOP + plotH - t * plotH / 4;
                g.drawLine(LEFT, y, LEFT + plotW, y);
            }
            g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.55f));
            double binW = (double) plotW / BINS;
            for (int i = 0; i < BINS; i++) {
                int x = LEFT + (int) Math.round(i * binW);
                int w = Math.max(1, (int) Math.round((i + 1) * binW) - (int) Math.round(i * binW) - 1);
                int ha = (int) Math.round(a[i] / top * plotH);
                int hb = (int) Math.round(b[i] / top * plotH);
                g.setColor(FIRST);
                g.fillRect(x, TOP + plotH - ha, w, ha);
                g.setColor(SECOND);
                g.fillRect(x, TOP + plotH - hb, w, hb);
            }
            g.setComposite(AlphaComposite.SrcOver);
            g.setColor(Color.BLACK);
            g.drawRect(LEFT, TOP, plotW, plotH);
            ConfusionPlot.fitFont(g, title, WIDTH - LEFT - 8);
            g.drawString(title, LEFT, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            for (int t = 0; t <= 5; t++) {
                double v = lo + t * (hi - lo) / 5;
                String text = String.format(Locale.ROOT, "%.2f", v);
                g.drawString(text, LEFT + t * plotW / 5 - fm.stringWidth(text) / 2, TOP + plotH + 16);
            }
            for (int t = 0; t <= 4; t++) {
                String text = String.format(Locale.ROOT, "%.0f %%", 100 * top * t / 4);
                g.drawString(text, LEFT - 8 - fm.stringWidth(text), TOP + plotH - t * plotH / 4 + 4);
            }
            g.drawString(xTitle, LEFT + (plotW - fm.stringWidth(xTitle)) / 2, HEIGHT - 20);
            legend(g, FIRST, firstLabel + " (" + first.length + ")", LEFT + plotW - 260, TOP + 16);
            legend(g, SECOND, secondLabel + " (" + second.length + ")", LEFT + plotW - 260, TOP + 34);
        } finally {
            g.dispose();
        }
        Png.write(png, image);
    }

    private static void legend(Graphics2D g, Color colour, String text, int x, int y) {
        g.setColor(colour);
        g.fillRect(x, y - 10, 14, 10);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 20, y);
    }

    /** The share of {@code values} in each of {@value #BINS} equal bins of [lo, hi] (hi in the last bin). */
    static double[] fractions(double[] values, double lo, double hi) {
        double[] out = new double[BINS];
        if (values.length == 0) {
            return out;
        }
        for (double v : values) {
            int bin = (int) Math.floor((v - lo) / (hi - lo) * BINS);
            out[Math.max(0, Math.min(BINS - 1, bin))] += 1.0 / values.length;
        }
        return out;
    }
}
