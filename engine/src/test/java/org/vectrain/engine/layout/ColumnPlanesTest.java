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

/** The training layout: every pixel in its plane and place, bad bounds refused, one layout per set and bounds. */
class ColumnPlanesTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 15, 17, 103})
    void everyPixelIsInItsPlaceAndPlane(int n) {
        int dim = 67;
        int[] bounds = {0, 1, 33, 33, 67};
        DataSet set = SyntheticData.of("random", n, dim, 10, n);
        ColumnPlanes planes = ColumnPlanes.relayout(set.pixels(), n, dim, bounds);
        assertEquals(4, planes.planes());
        assertEquals(n, planes.size());
        for (int p = 0; p < planes.planes(); p++) {
            assertEquals(bounds[p], planes.firstColumn(p));
            assertEquals(bounds[p + 1] - bounds[p], planes.width(p));
            assertEquals(n * planes.width(p) + ColumnPlanes.SLACK, planes.plane(p).length,
                    "plane " + p + " holds its columns and the slack");
            for (int i = 0; i < n; i++) {
                for (int d = bounds[p]; d < bounds[p + 1]; d++) {
                    assertEquals(set.pixels()[i * dim + d], planes.plane(p)[i * planes.width(p) + d - bounds[p]],
                            "plane " + p + ", image " + i + ", column " + d);
                }
            }
        }
    }

    @Test
    void boundsThatDoNotRunFromZeroToDOrDescendAreRefused() {
        byte[] pixels = new byte[2 * 10];
        for (int[] bounds : new int[][] {{0}, {1, 10}, {0, 9}, {0, 11}, {0, 6, 4, 10}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ColumnPlanes.relayout(pixels, 2, 10, bounds), Arrays.toString(bounds));
            assertTrue(e.getMessage().contains(Arrays.toString(bounds)), e.getMessage());
        }
    }

    @Test
    void aSetIsLaidOutOncePerBoundsAndAnotherSetGetsItsOwn() {
        DataSet set = SyntheticData.of("random", 40, 8, 10, 1);
        int[] halves = {0, 4, 8};
        ColumnPlanes first = ColumnPlanes.of(set, halves);
        assertSame(first, ColumnPlanes.of(set, halves.clone()));
        assertSame(first, ColumnPlanes.of(new DataSet("same pixels", set.pixels(), set.labels(), 8, set.scale(),
                set.shift()), halves));
        assertNotSame(first, ColumnPlanes.of(set.head(40), halves));
        ColumnPlanes thirds = ColumnPlanes.of(set, new int[] {0, 3, 6, 8});
        assertEquals(3, thirds.planes(), "other bounds make another layout");
    }
}
