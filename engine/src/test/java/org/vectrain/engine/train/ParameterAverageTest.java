package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/** --average-from: the mean of the iterates, what the trainer evaluates and returns, and its validation. */
class ParameterAverageTest {

    @Test
    void meanOfIteratesByHand() {
        ParameterAverage average = new ParameterAverage(2, 3);
        average.add(new SoftmaxModel(2, 3, new float[] {1, 2, 3, 4, 5, 6}, new float[] {1, -1}));
        average.add(new SoftmaxModel(2, 3, new float[] {3, 2, 1, 0, -5, 6}, new float[] {0, 0}));
        average.add(new SoftmaxModel(2, 3, new float[] {2, 2, 2, 2, 0.25f, 0}, new float[] {2, 4}));
        assertEquals(3, average.count());
        SoftmaxModel mean = new SoftmaxModel(2, 3, new float[6], new float[2]);
        average.meanInto(mean);
        assertArrayEquals(new float[] {2, 2, 2, 2, 0.25f / 3, 4}, mean.weights(), 0f);
        assertArrayEquals(new float[] {1, 1}, mean.bias(), 0f);
        assertThrows(IllegalStateException.class, () -> new ParameterAverage(2, 3).meanInto(mean));
    }

    @Test
    void trainerReturnsTheMeanOfTheTailsIterates() {
        // 40 images in batches of 10, 3 epochs, averaged from epoch 2: the mean of the 8 iterates after the
        // updates of epochs 2 and 3, computed here in double from a hand-driven copy of the run
        DataSet train = TrainFixtures.synthetic(40, 1);
        DataSet val = TrainFixtures.synthetic(30, 2);
        TrainConfig config = new TrainConfig(0.01, 0.02, 10, 3, 5, false, false).withAverageFrom(2);
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(5).init(), false);
        SoftmaxModel manual = init.copy();
        double[] sumW = new double[manual.weights().length];
        double[] sumB = new double[manual.bias().length];
        TrainResult r;
        TrainResult plain;
        try (WorkerPool pool = new WorkerPool(1)) {
            Trainer trainer = new Trainer(KernelProvider.vector(), pool);
            r = trainer.train(config, init, train, val, val, EpochListener.NONE);
            plain = trainer.train(config.withAverageFrom(0), init, train, val, val, EpochListener.NONE);
            SgdStep step = new SgdStep(KernelProvider.vector(), pool, 10, train.dim(), 10);
            int[] order = IntStream.range(0, 40).toArray();
            for (int t = 0; t < 12; t++) {
                step.step(manual, train, order, (t % 4) * 10, 10, 0.02, 0.01);
                if (t >= 4) {
                    for (int i = 0; i < sumW.length; i++) {
                        sumW[i] += manual.weights()[i];
                    }
                    for (int k = 0; k < sumB.length; k++) {
                        sumB[k] += manual.bias()[k];
                    }
                }
            }
            float[] expectedW = new float[sumW.length];
            for (int i = 0; i < sumW.length; i++) {
                expectedW[i] = (float) (sumW[i] / 8);
            }
            float[] expectedB = new float[sumB.length];
            for (int k = 0; k < sumB.length; k++) {
                expectedB[k] = (float) (sumB[k] / 8);
            }
            assertArrayEquals(expectedW, r.model().weights(), 0f);
            assertArrayEquals(expectedB, r.model().bias(), 0f);
            assertArrayEquals(manual.weights(), plain.model().weights(), "training itself goes on from the iterate");
            Evaluator evaluator = new Evaluator(KernelProvider.vector(), pool, 10);
            assertEquals(evaluator.evaluate(r.model(), val, 0.01, null), r.history().get(2).validation(),
                    "the last epoch's figures are the mean's");
            assertEquals(evaluator.evaluate(r.model(), val, 0.01, null), r.test(), "the test set measures the mean");
        }
        assertEquals(plain.history().get(0), withTimes(r.history().get(0), plain.history().get(0)),
                "before averaging starts an epoch judges the iterate");
        assertTrue(!r.history().get(2).validation().equals(plain.history().get(2).validation()));
        assertEquals(3, r.modelEpoch());
        assertTrue(config.label().endsWith(", averaged from epoch 2"), config.label());
    }

    @Test
    void averageFromMustBeAnEpochOfTheRun() {
        TrainConfig base = new TrainConfig(0, 0.01, 10, 5, 1, false, false);
        assertEquals(5, base.withAverageFrom(5).averageFrom());
        assertTrue(assertThrows(InputException.class, () -> base.withAverageFrom(6)).getMessage()
                .startsWith("averageFrom "));
        assertTrue(assertThrows(InputException.class, () -> base.withAverageFrom(-1)).getMessage()
                .startsWith("averageFrom "));
    }

    /** {@code r} with the wall-clock times of {@code timesOf}, to compare the figures alone. */
    private static EpochRecord withTimes(EpochRecord r, EpochRecord timesOf) {
        return new EpochRecord(r.epoch(), r.eta(), r.train(), r.validation(), timesOf.trainMillis(),
                timesOf.evalMillis());
    }
}
