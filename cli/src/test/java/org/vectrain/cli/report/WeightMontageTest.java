package org.vectrain.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vectrain.cli.report.ReportFixtures.CLASSES;
import static org.vectrain.cli.report.ReportFixtures.syntheticW;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightMontageTest {
    @TempDir
    Path dir;

    @Test
    void planesMapToTheirColoursWithoutFlipOrTranspose() throws IOException {
        Path png = dir.resolve("montage.png");
        WeightMontage.write(png, syntheticW(), CLASSES);
        BufferedImage image = ImageIO.read(png.toFile());
        int tile = WeightMontage.TILE;
        int gap = WeightMontage.GAP;
        assertEquals(gap + 5 * (tile + gap), image.getWidth());
        assertEquals(gap + 2 * (tile + WeightMontage.LABEL_HEIGHT + gap), image.getHeight());
        assertEquals(0xFFFFFF, rgb(image, 0, 0), "white background");

        // Class 0, red gradient along x: black at the left edge, full red at the right, the same in every row.
        assertEquals(0x000000, pixel(image, 0, 0, 0));
        assertEquals(0xFF0000, pixel(image, 0, 31, 31));
        assertEquals(0xFF0000, pixel(image, 0, 0, 31));
        assertEquals(Math.round(255 * 10 / 31f) << 16, pixel(image, 0, 20, 10));

        // Class 1, blue gradient along y: top row black, bottom row full blue (not flipped upside down).
        assertEquals(0x000000, pixel(image, 1, 0, 17));
        assertEquals(0x0000FF, pixel(image, 1, 31, 17));

        // Class 2: the one green pixel is near the top-right, not mirrored or transposed.
        assertEquals(0x00FF00, pixel(image, 2, 2, 29));
        assertEquals(0x000000, pixel(image, 2, 2, 2));
        assertEquals(0x000000, pixel(image, 2, 29, 2));
        assertEquals(0x000000, pixel(image, 2, 29, 29));

        assertEquals(0x808080, pixel(image, 3, 15, 15), "a constant class is mid-grey");
        assertEquals(WeightMontage.NON_FINITE_RGB, pixel(image, 4, 0, 0), "NaN is magenta");
        assertEquals(0x00FF00, pixel(image, 4, 31, 31), "the NaN is left out of min and max");

        // Class 5: min -1, max 3, so -1 -> 0, 1 -> round(255 * 2 / 4) = 128, 3 -> 255.
        assertEquals(0x008000, pixel(image, 5, 0, 0));
        assertEquals(0x0080FF, pixel(image, 5, 31, 0));

        // Every enlarged pixel is a solid 4 x 4 block.
        int base = topLeft(0);
        for (int dy = 0; dy < WeightMontage.SCALE; dy++) {
            for (int dx = 0; dx < WeightMontage.SCALE; dx++) {
                assertEquals(pixel(image, 0, 7, 30), rgb(image, (base >> 16) + 30 * 4 + dx, (base & 0xFFFF) + 7 * 4 + dy));
            }
        }
    }

    @Test
    void classNamesAreCentredUnderTheirTiles() {
        BufferedImage image = WeightMontage.render(syntheticW(), CLASSES, null);
        for (int k : new int[] {0, 1, 9}) {
            int corner = topLeft(k);
            int left = corner >> 16;
            int labelTop = (corner & 0xFFFF) + WeightMontage.TILE;
            long sum = 0;
            int count = 0;
            for (int y = labelTop; y < labelTop + WeightMontage.LABEL_HEIGHT; y++) {
                for (int x = left - WeightMontage.GAP / 2; x < left + WeightMontage.TILE + WeightMontage.GAP / 2; x++) {
                    if ((image.getRGB(x, y) & 0xFF) < 128) {
                        sum += x;
                        count++;
                    }
                }
            }
            assertTrue(count > 20, "class " + k + ": no label drawn");
            double centre = (double) sum / count;
            assertEquals(left + WeightMontage.TILE / 2.0, centre, 8, "class " + k + " label centre");
        }
    }

    @Test
    void aTitleAddsALineAbove() {
        BufferedImage plain = WeightMontage.render(syntheticW(), CLASSES, null);
        BufferedImage titled = WeightMontage.render(syntheticW(), CLASSES, "λ=0.1, n_batch=100, η=0.001, 40 epochs");
        assertEquals(plain.getHeight() + WeightMontage.TITLE_HEIGHT, titled.getHeight());
    }

    @Test
    void refusesWOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> WeightMontage.render(new float[3072 * 9], CLASSES, null));
        assertThrows(IllegalArgumentException.class, () -> WeightMontage.render(new float[0], List.of(), null));
    }

    /** The montage pixel for CIFAR pixel (y, x) of class k, as 0xRRGGBB. */
    private static int pixel(BufferedImage image, int k, int y, int x) {
        int corner = topLeft(k);
        return rgb(image, (corner >> 16) + x * WeightMontage.SCALE + 1, (corner & 0xFFFF) + y * WeightMontage.SCALE + 2);
    }

    /** Tile k's top-left corner packed as x << 16 | y, from the documented layout (no title). */
    private static int topLeft(int k) {
        int x = WeightMontage.GAP + (k % 5) * (WeightMontage.TILE + WeightMontage.GAP);
        int y = WeightMontage.GAP + (k / 5) * (WeightMontage.TILE + WeightMontage.LABEL_HEIGHT + WeightMontage.GAP);
        return x << 16 | y;
    }

    private static int rgb(BufferedImage image, int x, int y) {
        return image.getRGB(x, y) & 0xFFFFFF;
    }
}
