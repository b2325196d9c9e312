package org.vectrain.engine.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossKernel;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.RandomStreams;

/**
 * Evaluation passes over one set and over several sets at once: each set's figures in a shared pass are
 * bit for bit those of the set alone (whatever the thread count and the other sets), and they agree
 * with a double-precision reference.
 */
class EvaluatorTest {
    /** Not a multiple of the 16 float lanes. */
    private static final int DIM = 103;
    private static final int CLASSES = 10;
    private static final double LAMBDA = 0.05;

    /**
     * Sets of 1, 31, 33, 257 and 700 samples (a part of a block, a block and one more, a chunk and one
     * more, several chunks): two normalisations, one set sharing the first's arrays and one holding
     * equal copies of them, so a pass has both shared and separate folds.
     */
    private static List<DataSet> sets() {
        DataSet a = SyntheticData.of("a", 257, DIM, CLASSES, 1);
        DataSet b = SyntheticData.of("b", 31, DIM, CLASSES, 2);
        DataSet c = SyntheticData.of("c", 700, DIM, CLASSES, 3);
        DataSet sharing = new DataSet("c-as-a", c.pixels(), c.labels(), DIM, a.scale(), a.shift());
        DataSet copying = new DataSet("b-as-a", b.pixels(), b.labels(), DIM, a.scale().clone(), a.shift().clone());
        DataSet one = SyntheticData.of("one", 1, DIM, CLASSES, 4);
        DataSet thirtyThree = SyntheticData.of("thirty-three", 33, DIM, CLASSES, 5);
        return List.of(a, b, sharing, copying, one, c, thirtyThree);
    }

    private static SoftmaxModel model() {
        return SoftmaxModel.gaussian(CLASSES, DIM, new RandomStreams(11).init(), false);
    }

    @Test
    void severalSetsInOnePassGiveEachSetItsOwnFiguresBitForBit() {
        List<DataSet> sets = sets();
        SoftmaxModel model = model();
        for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
            List<Evaluation> first = null;
            for (int threads = 1; threads <= 3; threads++) {
                try (WorkerPool pool = new WorkerPool(threads)) {
                    Evaluator evaluator = new Evaluator(kernels, pool, CLASSES);
                    List<Evaluation> alone = new ArrayList<>();
                    for (DataSet set : sets) {
                        alone.add(evaluator.evaluate(model, set, LAMBDA, null));
                    }
                    List<Evaluation> together = Arrays.asList(evaluator.evaluate(model, sets, LAMBDA));
                    assertEquals(alone, together, kernels.description() + ", " + threads + " threads");
                    // a pass of the same sets in another order, and one of a single set
                    List<DataSet> reversed = new ArrayList<>(sets);
                    Collections.reverse(reversed);
                    List<Evaluation> backwards = new ArrayList<>(Arrays.asList(evaluator.evaluate(model, reversed,
                            LAMBDA)));
                    Collections.reverse(backwards);
                    assertEquals(alone, backwards, "sets in reverse order, " + threads + " threads");
                    assertEquals(alone.get(5), evaluator.evaluate(model, List.of(sets.get(5)), LAMBDA)[0]);
                    if (first == null) {
                        first = together;
                    }
                    assertEquals(first, together, "the same figures on 1 and " + threads + " threads");
                }
            }
        }
    }

    @Test
    void aPassAsideGivesTheSameBitsWhetherTheCallerHelpsOrNot() throws InterruptedException {
        List<DataSet> sets = sets();
        SoftmaxModel model = model();
        for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
            try (WorkerPool pool = new WorkerPool(2)) {
                Evaluator evaluator = new Evaluator(kernels, pool, CLASSES);
                List<Evaluation> expected = Arrays.asList(evaluator.evaluate(model, sets, LAMBDA));
                // the caller asks at once, so it takes chunks too
                evaluator.startAside(model, sets, LAMBDA);
                assertTrue(evaluator.runsAside());
                assertThrows(IllegalStateException.class, () -> evaluator.evaluate(model, sets, LAMBDA));
                assertEquals(expected, Arrays.asList(evaluator.finishAside()), kernels.description() + ", helped");
                assertFalse(evaluator.runsAside());
                // the caller asks once the worker is done, so the worker took every chunk
                evaluator.startAside(model, sets, LAMBDA);
                while (pool.asideRunning()) {
                    Thread.sleep(1);
                }
                assertEquals(expected, Arrays.asList(evaluator.finishAside()), kernels.description() + ", alone");
                assertTrue(evaluator.lastAsideMillis() > 0);
                assertEquals(expected, Arrays.asList(evaluator.evaluate(model, sets, LAMBDA)), "and in turn again");
                assertThrows(IllegalStateException.class, evaluator::finishAside, "nothing runs aside");
            }
        }
        try (WorkerPool alone = new WorkerPool(1)) {
            Evaluator evaluator = new Evaluator(KernelProvider.vector(), alone, CLASSES);
            assertThrows(IllegalStateException.class, () -> evaluator.startAside(model, sets, LAMBDA));
            assertFalse(evaluator.runsAside(), "a refused pass leaves nothing behind");
        }
    }

    @Test
    void aPassAsideThatFailsLeavesTheEvaluatorAndThePoolUsable() {
        List<DataSet> sets = sets();
        SoftmaxModel model = model();
        Kernels kernels = KernelProvider.vector();
        boolean[] failing = {true};
        LossKernel loss = (s, classes, n, labels, g, gScale, predictions, predOffset, acc) -> {
            if (failing[0]) {
                throw new IllegalStateException("loss failed");
            }
            kernels.softmaxCrossEntropy(s, classes, n, labels, g, gScale, predictions, predOffset, acc);
        };
        try (WorkerPool pool = new WorkerPool(2)) {
            Evaluator evaluator = new Evaluator(kernels, pool, CLASSES, loss);
            evaluator.startAside(model, sets, LAMBDA);
            IllegalStateException e = assertThrows(IllegalStateException.class, evaluator::finishAside);
            assertEquals("loss failed", e.getMessage());
            assertFalse(evaluator.runsAside(), "the failed pass is over");
            assertFalse(pool.asideRunning());
            failing[0] = false;
            List<Evaluation> expected = Arrays.asList(new Evaluator(kernels, pool, CLASSES).evaluate(model, sets,
                    LAMBDA));
            evaluator.startAside(model, sets, LAMBDA);
            assertEquals(expected, Arrays.asList(evaluator.finishAside()), "the next pass aside");
        }
    }

    @Test
    void figuresMatchADoubleReference() {
        List<DataSet> sets = sets();
        SoftmaxModel model = model();
        Evaluation[] figures;
        try (WorkerPool pool = new WorkerPool(2)) {
            figures = new Evaluator(KernelProvider.vector(), pool, CLASSES).evaluate(model, sets, LAMBDA);
        }
        double squares = 0;
        for (float w : model.weights()) {
            squares += (double) w * w;
        }
        for (int i = 0; i < sets.size(); i++) {
            DataSet set = sets.get(i);
            double lossSum = 0;
            int correct = 0;
            int nearTies = 0;
            for (int j = 0; j < set.size(); j++) {
                double[] scores = new double[CLASSES];
                for (int k = 0; k < CLASSES; k++) {
                    double s = model.bias()[k];
                    for (int d = 0; d < DIM; d++) {
                        s += model.weights()[k * DIM + d] * set.feature(j, d);
                    }
                    scores[k] = s;
                }
                double max = Arrays.stream(scores).max().orElseThrow();
                double sumExp = 0;
                int best = 0;
                for (int k = 0; k < CLASSES; k++) {
                    sumExp += Math.exp(scores[k] - max);
                    if (scores[k] > scores[best]) {
                        best = k;
                    }
                }
                int label = set.labels()[j];
                lossSum += -(scores[label] - max - Math.log(sumExp));
                correct += best == label ? 1 : 0;
                double runnerUp = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < CLASSES; k++) {
                    if (k != best) {
                        runnerUp = Math.max(runnerUp, scores[k]);
                    }
                }
                // float scores may order two classes this close the other way
                nearTies += max - runnerUp < 1e-4 ? 1 : 0;
            }
            double loss = lossSum / set.size();
            Evaluation e = figures[i];
            String where = set.name() + ": " + e;
            assertEquals(set.size(), e.count(), where);
            // tolerance: float scores over 103 dimensions, about 1e-7 relative; 1e-5 leaves room for the log
            assertEquals(loss, e.loss(), 1e-5 * Math.abs(loss), where);
            assertEquals(loss + LAMBDA * squares, e.cost(), 1e-5 * Math.abs(loss + LAMBDA * squares), where);
            assertTrue(Math.abs(correct - e.correct()) <= nearTies, where + ", reference correct " + correct);
        }
    }

    @Test
    void emptySetsAndWrongShapes() {
        DataSet set = SyntheticData.of("some", 40, DIM, CLASSES, 6);
        DataSet empty = SyntheticData.of("none", 0, DIM, CLASSES, 7);
        SoftmaxModel model = model();
        try (WorkerPool pool = new WorkerPool(2)) {
            Evaluator evaluator = new Evaluator(KernelProvider.vector(), pool, CLASSES);
            Evaluation[] pass = evaluator.evaluate(model, List.of(empty, set, empty), LAMBDA);
            assertEquals(0, pass[0].count());
            assertTrue(Double.isNaN(pass[0].loss()) && Double.isNaN(pass[2].accuracy()), Arrays.toString(pass));
            assertEquals(evaluator.evaluate(model, set, LAMBDA, null), pass[1]);
            assertEquals(0, evaluator.evaluate(model, List.of(empty), LAMBDA)[0].count());

            DataSet wide = SyntheticData.of("wide", 3, DIM + 1, CLASSES, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> evaluator.evaluate(model, List.of(set, wide), LAMBDA));
            assertTrue(e.getMessage().contains("wide"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> evaluator.evaluate(model, set, LAMBDA, new int[39]));
        }
    }
}
