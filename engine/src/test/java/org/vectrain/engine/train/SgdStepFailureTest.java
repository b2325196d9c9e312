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
 * A kernel that fails on one thread of a training pass makes the pass throw on the caller's thread,
 * with the other thread released from the step's barrier, not left waiting for ever; and the next
 * pass works.
 */
class SgdStepFailureTest {

    @Test
    void aFailureOnOneThreadEndsThePassAndTheNextPassWorks() {
        Kernels real = KernelProvider.vector();
        AtomicBoolean fail = new AtomicBoolean(true);
        // the update of the second column part (the second thread's) throws while fail is set
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
                assertThrows(IllegalStateException.class,
                        () -> step.pass(model, set, rows, 0, 60, 20, 1e-3, 0.1, null, null));
                fail.set(false);
                SoftmaxModel again = init.copy();
                step.pass(again, set, rows, 0, 60, 20, 1e-3, 0.1, null, null);
                SoftmaxModel reference = init.copy();
                try (WorkerPool one = new WorkerPool(1)) {
                    new SgdStep(real, one, 10, set.dim(), 20)
                            .pass(reference, set, rows, 0, 60, 20, 1e-3, 0.1, null, null);
                }
                assertArrayEquals(reference.weights(), again.weights(), "the pass after a failure");
            }
        });
    }
}
