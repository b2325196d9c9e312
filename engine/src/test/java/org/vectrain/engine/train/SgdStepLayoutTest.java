package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * Batches in order read the set's quads, scattered ones its rows or planes: stepping the same images in the
 * same order both ways must give the same bits. The scattered side stores the images in reverse, so its rows
 * run backwards through the set.
 */
class SgdStepLayoutTest {

    @ParameterizedTest(name = "{0} threads, n_batch {1}, dim {2}")
    @CsvSource({"1, 36, 3072", "2, 36, 3072", "2, 37, 3072", "1, 5, 600", "2, 100, 1021", "3, 8, 67"})
    void quadsAndRowsGiveTheSameBits(int threads, int batch, int dim) {
        int n = 4 * batch + 3;
        DataSet set = org.vectrain.engine.data.SyntheticData.of("synthetic", n, dim, 10, 21);
        byte[] reversed = new byte[set.pixels().length];
        int[] reversedLabels = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(set.pixels(), i * dim, reversed, (n - 1 - i) * dim, dim);
            reversedLabels[n - 1 - i] = set.labels()[i];
        }
        DataSet backwards = new DataSet("reversed", reversed, reversedLabels, dim, set.scale(), set.shift());
        int[] inOrder = new int[n];
        int[] scattered = new int[n];
        for (int i = 0; i < n; i++) {
            inOrder[i] = i;
            scattered[i] = n - 1 - i;
        }
        assumeTrue(KernelProvider.kernels().readsQuads(), "the steps read quads only with 16-lane vector kernels");
        AtomicInteger quadScoreCalls = new AtomicInteger();
        Kernels kernels = counting(KernelProvider.kernels(), "quadScores", quadScoreCalls);
        SoftmaxModel fromQuads = SoftmaxModel.gaussian(10, dim, new RandomStreams(5).init(), false);
        SoftmaxModel fromRows = fromQuads.copy();
        try (WorkerPool pool = new WorkerPool(threads)) {
            SgdStep quadSteps = new SgdStep(kernels, pool, 10, dim, batch);
            SgdStep rowSteps = new SgdStep(kernels, pool, 10, dim, batch);
            // batches from 0, batch, 2 batch...: from the start of a quad or not, and a last one cut short
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int from = 0; from < n; from += batch) {
                    int size = Math.min(batch, n - from);
                    double quadLoss = quadSteps.step(fromQuads, set, inOrder, from, size, 0.05, 0.01);
                    double rowLoss = rowSteps.step(fromRows, backwards, scattered, from, size, 0.05, 0.01);
                    String what = "epoch " + epoch + ", batch from " + from;
                    assertEquals(rowLoss, quadLoss, 0.0, "loss, " + what);
                    assertArrayEquals(fromRows.weights(), fromQuads.weights(), "W, " + what);
                    assertArrayEquals(fromRows.bias(), fromQuads.bias(), "b, " + what);
                }
            }
        }
        assertTrue(quadScoreCalls.get() > 0, "the steps in order never read quads");
    }

    /** {@code inner}, counting the calls of the method named {@code method} into {@code calls}. */
    static Kernels counting(Kernels inner, String method, AtomicInteger calls) {
        InvocationHandler handler = (proxy, m, args) -> {
            if (m.getName().equals(method)) {
                calls.incrementAndGet();
            }
            try {
                return m.invoke(inner, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
                handler);
    }
}
