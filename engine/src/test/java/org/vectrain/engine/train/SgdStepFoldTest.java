package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * The step carries W' (the folded weights) from one step to the next: the carried fold must give the
 * same bits as a fresh one, a new normalisation must be folded afresh, and {@link SgdStep#forgetFold()}
 * must make a change of W in place take effect.
 */
class SgdStepFoldTest {
    private static final int BATCH = 37;

    private static int[] identity(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }

    @Test
    void aCarriedFoldGivesTheSameBitsAsAFreshOne() {
        DataSet set = TrainFixtures.synthetic(4 * BATCH, 5);
        int[] rows = identity(set.size());
        Kernels kernels = KernelProvider.kernels();
        SoftmaxModel carried = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(3).init(), false);
        SoftmaxModel fresh = carried.copy();
        try (WorkerPool pool = new WorkerPool(2)) {
            SgdStep one = new SgdStep(kernels, pool, 10, set.dim(), BATCH);
            for (int i = 0; i < 8; i++) {
                int from = (i % 4) * BATCH;
                double carriedLoss = one.step(carried, set, rows, from, BATCH, 0.01, 0.1);
                // a new step object folds W afresh every time
                double freshLoss = new SgdStep(kernels, pool, 10, set.dim(), BATCH).step(fresh, set, rows, from, BATCH,
                        0.01, 0.1);
                assertEquals(freshLoss, carriedLoss, 0.0, "loss of step " + i);
                assertArrayEquals(fresh.weights(), carried.weights(), "W after step " + i);
                assertArrayEquals(fresh.bias(), carried.bias(), "b after step " + i);
            }
        }
    }

    @Test
    void anotherNormalisationOrForgetFoldRefolds() {
        DataSet set = TrainFixtures.synthetic(2 * BATCH, 6);
        float[] otherScale = set.scale().clone();
        Arrays.fill(otherScale, 0.5f);
        DataSet renormalised = new DataSet("renormalised", set.pixels(), set.labels(), set.dim(), otherScale,
                set.shift());
        int[] rows = identity(set.size());
        Kernels kernels = KernelProvider.kernels();
        try (WorkerPool pool = new WorkerPool(2)) {
            SoftmaxModel model = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(4).init(), false);
            SgdStep step = new SgdStep(kernels, pool, 10, set.dim(), BATCH);
            step.step(model, set, rows, 0, BATCH, 0.01, 0.1);
            SoftmaxModel reference = model.copy();
            double loss = step.step(model, renormalised, rows, BATCH, BATCH, 0.01, 0.1);
            double expected = new SgdStep(kernels, pool, 10, set.dim(), BATCH).step(reference, renormalised, rows,
                    BATCH, BATCH, 0.01, 0.1);
            assertEquals(expected, loss, 0.0, "loss after a change of normalisation");

            // W changed in place: forgetFold makes the next step see it
            Arrays.fill(model.weights(), 0f);
            Arrays.fill(reference.weights(), 0f);
            System.arraycopy(model.bias(), 0, reference.bias(), 0, 10);
            step.forgetFold();
            loss = step.step(model, set, rows, 0, BATCH, 0.01, 0.1);
            expected = new SgdStep(kernels, pool, 10, set.dim(), BATCH).step(reference, set, rows, 0, BATCH, 0.01, 0.1);
            assertEquals(expected, loss, 0.0, "loss after forgetFold");
            assertFalse(Double.isNaN(loss));
        }
    }
}
