package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * The training step allocates nothing once its buffers exist. Measured with the scalar kernels, whose
 * loops allocate nothing even before the JIT compiles them, so the test checks the step's own
 * structure (buffers, bound callbacks, the worker pool) without depending on when C2 runs.
 */
class SgdStepAllocationTest {

    @Test
    void stepsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DataSet set = TrainFixtures.synthetic(64, 3);
        Kernels kernels = KernelProvider.scalar();
        int[] rows = new int[set.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        SoftmaxModel model = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(1).init(), false);
        try (WorkerPool pool = new WorkerPool(2)) {
            SgdStep step = new SgdStep(kernels, pool, 10, set.dim(), 16);
            Evaluator evaluator = new Evaluator(kernels, pool, 10);
            for (int i = 0; i < 20; i++) {
                step.step(model, set, rows, (i % 4) * 16, 16, 1e-3, 0.1);
                evaluator.evaluate(model, set, 0.1, null);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                step.step(model, set, rows, (i % 4) * 16, 16, 1e-3, 0.1);
            }
            long stepBytes = threads.getCurrentThreadAllocatedBytes() - before;
            // One object per step would be at least 16 bytes a step, 800 in all.
            assertTrue(stepBytes < 50 * 8, "50 steps allocated " + stepBytes + " bytes on the calling thread");
        }
    }
}
