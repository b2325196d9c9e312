package org.vectrain.engine.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;

/**
 * The quad layout: every pixel at its offset in its plane, the padding a signed zero, each byte of a plane
 * either a pixel or padding, bad bounds refused, one layout per set and bounds.
 */
class SampleQuadsTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 3, 4, 5, 17, 103})
    void everyPixelIsAtItsOffsetAndTheRestIsSignedZero(int n) {
        int dim = 67;
        int[] bounds = {0, 1, 33, 33, 67};
        DataSet set = SyntheticData.of("random", n, dim, 10, n);
        SampleQuads quads = SampleQuads.relayout(set.pixels(), n, dim, bounds);
        assertEquals(4, quads.planes());
        assertEquals(n, quads.size());
        int quadCount = (n + 3) / 4;
        for (int p = 0; p < quads.planes(); p++) {
            int columns = bounds[p + 1] - bounds[p];
            assertEquals(bounds[p], quads.firstColumn(p));
            assertEquals(columns, quads.columns(p));
            assertEquals((columns + 15) / 16 * 16, quads.width(p));
            byte[] plane = quads.plane(p);
            assertEquals(quadCount * 4 * quads.width(p), plane.length, "plane " + p + ": whole quads of whole units");
            boolean[] holdsPixel = new boolean[plane.length];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < columns; c++) {
                    int at = SampleQuads.offset(i, c, quads.width(p));
                    assertEquals(set.pixels()[i * dim + bounds[p] + c], plane[at],
                            "plane " + p + ", image " + i + ", column " + c);
                    assertTrue(!holdsPixel[at], "two pixels at " + at);
                    holdsPixel[at] = true;
                }
            }
            for (int at = 0; at < plane.length; at++) {
                if (!holdsPixel[at]) {
                    assertEquals((byte) 128, plane[at], "padding at " + at + " of plane " + p);
                }
            }
        }
    }

    @Test
    void aQuadInterleavesItsFourImagesSixteenColumnsAtATime() {
        int width = 48;
        assertEquals(0, SampleQuads.offset(0, 0, width));
        assertEquals(15, SampleQuads.offset(0, 15, width));
        assertEquals(16, SampleQuads.offset(1, 0, width), "the next image's first unit follows");
        assertEquals(48, SampleQuads.offset(3, 0, width));
        assertEquals(64, SampleQuads.offset(0, 16, width), "an image's next unit comes after the quad's four");
        assertEquals(4 * width, SampleQuads.offset(4, 0, width), "the next quad");
        assertEquals(4 * width + 2 * 64 + 3 * 16 + 5, SampleQuads.offset(7, 37, width));
    }

    @Test
    void boundsThatDoNotRunFromZeroToDOrDescendAreRefused() {
        byte[] pixels = new byte[2 * 10];
        for (int[] bounds : new int[][] {{0}, {1, 10}, {0, 9}, {0, 11}, {0, 6, 4, 10}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SampleQuads.relayout(pixels, 2, 10, bounds), Arrays.toString(bounds));
            assertTrue(e.getMessage().contains(Arrays.toString(bounds)), e.getMessage());
        }
    }

    @Test
    void aSetIsLaidOutOncePerBoundsAndAnotherSetGetsItsOwn() {
        DataSet set = SyntheticData.of("random", 40, 8, 10, 1);
        int[] halves = {0, 4, 8};
        SampleQuads first = SampleQuads.of(set, halves);
        assertSame(first, SampleQuads.of(set, halves.clone()));
        assertSame(first, SampleQuads.of(new DataSet("same pixels", set.pixels(), set.labels(), 8, set.scale(),
                set.shift()), halves));
        assertNotSame(first, SampleQuads.of(set.head(40), halves));
        SampleQuads thirds = SampleQuads.of(set, new int[] {0, 3, 6, 8});
        assertEquals(3, thirds.planes(), "other bounds make another layout");
    }
}
