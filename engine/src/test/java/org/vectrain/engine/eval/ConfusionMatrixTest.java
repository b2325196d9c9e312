package org.vectrain.engine.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Counts, per-class accuracy and the CSV of a small hand-made confusion matrix. */
class ConfusionMatrixTest {
    @Test
    void countsRowsAndAccuracies() {
        int[] labels = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] predicted = {0, 1, 0, 1, 1, 0, 2, 2, 1};
        ConfusionMatrix m = ConfusionMatrix.of(3, labels, predicted);
        assertEquals(2, m.count(0, 0));
        assertEquals(1, m.count(0, 1));
        assertEquals(1, m.count(2, 0));
        assertEquals(4, m.support(2));
        assertArrayEquals(new double[] {2.0 / 3, 1.0, 0.5}, m.perClassAccuracy(), 1e-15);
        assertEquals(6.0 / 9, m.accuracy(), 1e-15);
        assertEquals("true\\predicted,a,b,c\na,2,1,0\nb,0,2,0\nc,1,1,2\n", m.toCsv(List.of("a", "b", "c")));
        assertEquals(Double.NaN, ConfusionMatrix.of(2, new int[] {0}, new int[] {0}).accuracy(1));
    }
}
