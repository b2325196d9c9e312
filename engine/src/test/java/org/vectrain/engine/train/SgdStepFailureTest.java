package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.simd.KernelProvider;
import org.vectrain.engine.simd.Kernels;

/**
 * A kernel that fails in one part of a training step makes the step throw on the caller's thread, not
 * hang; and since the failed step left W and W' out of step, the next step folds afresh and gives the
 * same weights as a step that never failed.
 */
class SgdStepFailureTest {

    @Test
    void aFailedPartEndsTheStepAndTheNextStepsAreRight() {
        Kernels real = KernelProvider.vector();
        AtomicBoolean fail = new AtomicBoolean(true);
        // the update of a column part other than the first throws while fail is set
        Kernels failing = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    if (method.getName().equals("gradientPacked") && (int) args[13] > 0 && fail.get()) {
                        throw new IllegalStateException("injected failure");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        DataSet set = TrainerDeterminismTest.synthetic(60, 4);
        int[] rows = new int[set.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        SoftmaxModel init = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(2).init(), false);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (WorkerPool pool = new WorkerPool(2)) {
                SgdStep step = new SgdStep(failing, pool, 10, set.dim(), 20);
                SoftmaxModel model = init.copy();
                assertThrows(IllegalStateException.class, () -> step.step(model, set, rows, 0, 20, 1e-3, 0.1));
                // the failed step changed part of W; start again from the initial weights in the same array
                model.copyFrom(init);
                fail.set(false);
                for (int from = 0; from < 60; from += 20) {
                    step.step(model, set, rows, from, 20, 1e-3, 0.1);
                }
                SoftmaxModel reference = init.copy();
                try (WorkerPool one = new WorkerPool(1)) {
                    SgdStep plain = new SgdStep(real, one, 10, set.dim(), 20);
                    for (int from = 0; from < 60; from += 20) {
                        plain.step(reference, set, rows, from, 20, 1e-3, 0.1);
                    }
                }
                assertArrayEquals(reference.weights(), model.weights(), "W after a failed step");
                assertArrayEquals(reference.bias(), model.bias(), "b after a failed step");
            }
        });
    }
}
