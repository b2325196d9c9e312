package org.vectrain.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The evaluation layout: every value in its place, and one layout per set. */
class SampleBlocksTest {

    private static DataSet randomSet(int n, int dim, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] pixels = new byte[n * dim];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) r.nextInt(256);
        }
        float[] ones = new float[dim];
        Arrays.fill(ones, 1f);
        return new DataSet("random", pixels, new int[n], dim, ones, new float[dim]);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 31, 32, 33, 103})
    void everyValueIsTheSignedPixelAtItsBlockPlaceAndPaddingIsZero(int n) {
        int dim = 67;
        DataSet set = randomSet(n, dim, n);
        SampleBlocks blocks = SampleBlocks.relayout(set.pixels(), n, dim);
        int block = SampleBlocks.BLOCK;
        assertEquals((n + block - 1) / block, blocks.blocks());
        assertEquals(blocks.blocks() * block * dim, blocks.values().length);
        for (int i = 0; i < blocks.blocks() * block; i++) {
            for (int d = 0; d < dim; d++) {
                int expected = i < n ? (set.pixels()[i * dim + d] & 0xFF) - 128 : 0;
                int at = (i / block) * block * dim + d * block + i % block;
                assertEquals(expected, blocks.values()[at], "sample " + i + " dimension " + d);
            }
        }
    }

    @Test
    void aSetIsLaidOutOnceAndAnotherSetGetsItsOwn() {
        DataSet set = randomSet(40, 5, 1);
        SampleBlocks first = SampleBlocks.of(set);
        assertSame(first, SampleBlocks.of(set));
        assertSame(first, SampleBlocks.of(new DataSet("same pixels", set.pixels(), set.labels(), 5, set.scale(),
                set.shift())));
        assertNotSame(first, SampleBlocks.of(set.head(40)));
    }
}
