package org.vectrain.engine.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;

/** The evaluation layout: every value in its place, and one layout per set. */
class SampleBlocksTest {

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 31, 32, 33, 103})
    void everyValueIsTheSignedPixelAtItsBlockPlaceAndPaddingIsZero(int n) {
        int dim = 67;
        DataSet set = SyntheticData.of("random", n, dim, 10, n);
        SampleBlocks blocks = SampleBlocks.relayout(set.pixels(), n, dim);
        int block = SampleBlocks.BLOCK;
        assertEquals((n + block - 1) / block, blocks.blocks());
        assertEquals(blocks.blocks() * block * dim + SampleBlocks.SLACK, blocks.values().length);
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
        DataSet set = SyntheticData.of("random", 40, 5, 10, 1);
        SampleBlocks first = SampleBlocks.of(set);
        assertSame(first, SampleBlocks.of(set));
        assertSame(first, SampleBlocks.of(new DataSet("same pixels", set.pixels(), set.labels(), 5, set.scale(),
                set.shift())));
        assertNotSame(first, SampleBlocks.of(set.head(40)));
    }
}
