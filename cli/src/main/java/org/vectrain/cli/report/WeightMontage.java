package org.vectrain.cli.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.vectrain.engine.io.AtomicFiles;

/**
 * The learnt weights shown as images, one per class, as the assignment does: row {@code k} of
 * {@code W} (10 x 3072) is read as a 32 x 32 colour image and stretched to the full grey range.
 *
 * <p>Layout of a row, as in the CIFAR-10 binary files: the red plane, then green, then blue, each
 * 32 x 32 row-major, so entry {@code c * 1024 + y * 32 + x} is channel {@code c} of the pixel in row
 * {@code y} (top first) and column {@code x} (left first).
 *
 * <p>Each class is rescaled on its own over all three channels, {@code (s - min) / (max - min)}, to
 * 0..255, then enlarged {@value #SCALE} times by pixel repetition so the 32 x 32 pattern stays
 * crisp. Tiles are laid out five to a row with the class name centred under each, on white. A class
 * whose weights are all equal is drawn mid-grey; non-finite weights (a diverged run) are drawn
 * magenta and ignored in the min and max, so they stand out instead of breaking the scale.
 */
public final class WeightMontage {
    static {
        Awt.headless();
    }

    /** Side of one CIFAR-10 image in pixels. */
    static final int SIDE = 32;
    /** Pixels in one colour plane. */
    static final int PLANE = SIDE * SIDE;
    /** Entries in one row of {@code W}: three planes. */
    static final int ROW = 3 * PLANE;
    /** Enlargement factor: 32 pixels become 128. */
    static final int SCALE = 4;
    /** Side of one enlarged tile. */
    static final int TILE = SIDE * SCALE;
    /** Tiles per row: the ten classes make two rows of five. */
    static final int COLUMNS = 5;
    /** White space around and between tiles. */
    static final int GAP = 16;
    /** Height of the class-name line under each tile. */
    static final int LABEL_HEIGHT = 22;
    /** Height of the optional title line above the grid. */
    static final int TITLE_HEIGHT = 28;
    /** Colour of weights that are NaN or infinite. */
    static final int NON_FINITE_RGB = 0xFF00FF;
    private static final int GREY_RGB = 0x808080;

    private WeightMontage() {
    }

    /** Writes the montage of {@code w} as a PNG, without a title; see {@link #write(Path, float[], List, String)}. */
    public static void write(Path png, float[] w, List<String> classNames) {
        write(png, w, classNames, null);
    }

    /**
     * Writes the montage of {@code w} as a PNG.
     *
     * @param w the weights, {@code classNames.size()} rows of 3072, row-major
     * @param title a line above the grid (e.g. the setting), or {@code null} for none
     * @throws IllegalArgumentException if {@code w} does not have one 3072-entry row per class name
     * @throws java.io.UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void write(Path png, float[] w, List<String> classNames, String title) {
        Objects.requireNonNull(png, "png");
        BufferedImage image = render(w, classNames, title);
        Png.write(png, image);
    }

    /** The montage as an image; see {@link #write}. */
    static BufferedImage render(float[] w, List<String> classNames, String title) {
        Objects.requireNonNull(w, "w");
        Objects.requireNonNull(classNames, "classNames");
        int classes = classNames.size();
        if (classes == 0 || w.length != (long) classes * ROW) {
            throw new IllegalArgumentException("W has " + w.length + " entries, expected " + classes + " classes x "
                    + ROW + " = " + (long) classes * ROW);
        }
        int columns = Math.min(COLUMNS, classes);
        int rows = (classes + COLUMNS - 1) / COLUMNS;
        int width = GAP + columns * (TILE + GAP);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        FontMetrics titleMetrics = CurvePlots.metrics(titleFont);
        // A long title is broken into lines that fit, each adding a line's height.
        List<String> titleLines = title == null || title.isBlank() ? List.of()
                : CurvePlots.titleLines(title, titleMetrics, width - 2 * CurvePlots.TITLE_MARGIN);
        int top = titleLines.isEmpty() ? 0 : TITLE_HEIGHT + (titleLines.size() - 1) * titleMetrics.getHeight();
        int height = top + GAP + rows * (TILE + LABEL_HEIGHT + GAP);

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            g.setFont(titleFont);
            for (int i = 0; i < titleLines.size(); i++) {
                centre(g, titleLines.get(i), 0, width, GAP / 2 + TITLE_HEIGHT - 8 + i * titleMetrics.getHeight());
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
            for (int k = 0; k < classes; k++) {
                int left = GAP + (k % COLUMNS) * (TILE + GAP);
                int tileTop = top + GAP + (k / COLUMNS) * (TILE + LABEL_HEIGHT + GAP);
                paintTile(image, w, k * ROW, left, tileTop);
                centre(g, classNames.get(k), left, TILE, tileTop + TILE + LABEL_HEIGHT - 5);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Rescales one row of W to 0..255 and paints it enlarged with its top-left corner at (left, top). */
    private static void paintTile(BufferedImage image, float[] w, int offset, int left, int top) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + ROW; i++) {
            if (Float.isFinite(w[i])) {
                min = Math.min(min, w[i]);
                max = Math.max(max, w[i]);
            }
        }
        // Computed in double: max - min of two large floats of opposite sign can overflow float.
        double range = (double) max - min;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int pixel = y * SIDE + x;
                float r = w[offset + pixel];
                float gr = w[offset + PLANE + pixel];
                float b = w[offset + 2 * PLANE + pixel];
                int rgb;
                if (!Float.isFinite(r) || !Float.isFinite(gr) || !Float.isFinite(b)) {
                    rgb = NON_FINITE_RGB;
                } else if (!(range > 0)) {
                    rgb = GREY_RGB;
                } else {
                    rgb = level(r, min, range) << 16 | level(gr, min, range) << 8 | level(b, min, range);
                }
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        image.setRGB(left + x * SCALE + dx, top + y * SCALE + dy, rgb);
                    }
                }
            }
        }
    }

    /** {@code round(255 (s - min) / (max - min))}. */
    private static int level(float s, float min, double range) {
        return (int) Math.round(255 * ((s - (double) min) / range));
    }

    /** Draws {@code text} centred horizontally in [{@code left}, {@code left + width}) on the given baseline. */
    private static void centre(Graphics2D g, String text, int left, int width, int baseline) {
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(text, left + (width - metrics.stringWidth(text)) / 2, baseline);
    }
}
