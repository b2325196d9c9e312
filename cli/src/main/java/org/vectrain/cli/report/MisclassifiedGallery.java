package org.vectrain.cli.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A grid of misclassified images, each enlarged from 32 x 32 (nearest neighbour, so the pixels stay visible)
 * with its true class, the predicted class and the model's figure for that prediction underneath.
 */
public final class MisclassifiedGallery {
    static {
        Awt.headless();
    }

    /** Enlargement of each 32 x 32 image. */
    static final int ZOOM = 4;
    static final int SIDE = 32;
    static final int COLUMNS = 8;
    static final int CAPTION = 34;
    static final int GAP = 8;
    static final int TITLE_HEIGHT = 28;

    /** One tile: the image (CIFAR record order, 3072 bytes), its labels and the caption's figure. */
    public record Tile(byte[] pixels, String truth, String predicted, String figure) {
    }

    private MisclassifiedGallery() {
    }

    /** Writes the tiles in order, row by row, under {@code title}; an empty list gives a note instead. */
    public static void write(Path png, List<Tile> tiles, String title) {
        int tile = SIDE * ZOOM;
        int columns = Math.max(1, Math.min(COLUMNS, tiles.size()));
        int rows = Math.max(1, (tiles.size() + columns - 1) / columns);
        int width = Math.max(360, GAP + columns * (tile + GAP));
        int height = TITLE_HEIGHT + rows * (tile + CAPTION + GAP) + GAP;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            ConfusionPlot.fitFont(g, title, width - 16);
            g.drawString(title, 8, 20);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            if (tiles.isEmpty()) {
                g.drawString("no misclassified images", GAP, TITLE_HEIGHT + 20);
            }
            for (int i = 0; i < tiles.size(); i++) {
                Tile t = tiles.get(i);
                int x0 = GAP + (i % columns) * (tile + GAP);
                int y0 = TITLE_HEIGHT + (i / columns) * (tile + CAPTION + GAP);
                int plane = SIDE * SIDE;
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        int p = y * SIDE + x;
                        int rgb = (t.pixels()[p] & 0xFF) << 16 | (t.pixels()[plane + p] & 0xFF) << 8
                                | (t.pixels()[2 * plane + p] & 0xFF);
                        g.setColor(new Color(rgb));
                        g.fillRect(x0 + x * ZOOM, y0 + y * ZOOM, ZOOM, ZOOM);
                    }
                }
                g.setColor(new Color(0x1B5E20));
                g.drawString("true: " + t.truth(), x0, y0 + tile + 13);
                g.setColor(new Color(0xB71C1C));
                g.drawString(t.predicted() + " " + t.figure(), x0, y0 + tile + 27);
            }
        } finally {
            g.dispose();
        }
        Png.write(png, image);
    }
}
