package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * At two threads or more the trainer evaluates each epoch beside the next training pass and judges it one
 * pass later: the runs must be those of one thread, judged one epoch at a time, bit for bit, including the
 * runs that stop (early stopping, divergence) while a pass has already run ahead.
 */
class OverlappedEpochsTest {
    final DataSet train = TrainFixtures.synthetic(120, 1);
    final DataSet val = TrainFixtures.synthetic(60, 2);
    final DataSet test = TrainFixtures.synthetic(60, 3);
    final Kernels kernels = KernelProvider.vector();

    private TrainResult run(TrainConfig config, int threads, boolean trainingFigures, List<Integer> told) {
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(7).init(), false);
        try (WorkerPool pool = new WorkerPool(threads)) {
            return new Trainer(kernels, pool).train(config, init, train, val, test,
                    (record, epochs) -> told.add(record.epoch()), trainingFigures);
        }
    }

    private void sameRun(TrainConfig config, boolean trainingFigures) {
        List<Integer> toldAlone = new ArrayList<>();
        TrainResult alone = run(config, 1, trainingFigures, toldAlone);
        for (int threads : new int[] {2, 3}) {
            List<Integer> told = new ArrayList<>();
            TrainResult overlapped = run(config, threads, trainingFigures, told);
            String what = config.label() + ", " + threads + " threads";
            assertEquals(TrainFixtures.figures(alone), TrainFixtures.figures(overlapped), what);
            assertEquals(toldAlone, told, "the listener hears every epoch once, in order: " + what);
            assertArrayEquals(alone.model().weights(), overlapped.model().weights(), what);
            assertArrayEquals(alone.model().bias(), overlapped.model().bias(), what);
            assertEquals(alone.modelEpoch(), overlapped.modelEpoch(), what);
            assertEquals(alone.bestEpoch(), overlapped.bestEpoch(), what);
            assertEquals(alone.stoppedEarly(), overlapped.stoppedEarly(), what);
            assertEquals(alone.divergence(), overlapped.divergence(), what);
            assertEquals(alone.test(), overlapped.test(), what);
        }
    }

    @Test
    void plainRunsAndRunsWithoutTrainingFiguresAreTheSame() {
        TrainConfig plain = new TrainConfig(0.01, 0.05, 37, 4, 7, true, false);
        sameRun(plain, true);
        sameRun(plain, false);
        sameRun(plain.withAverageFrom(2), true);
    }

    @Test
    void earlyStoppingAndKeepingTheBestStopOnTheSameEpochWithTheSameModel() {
        // random labels and a large η: validation accuracy wanders, so patience 2 stops well before 40
        TrainConfig config = new TrainConfig(0, 0.5, 30, 40, 7, true, false)
                .withExtras(false, LearningRateSchedule.CONSTANT, true, 2);
        sameRun(config, true);
        TrainResult r = run(config, 2, true, new ArrayList<>());
        assertTrue(r.stoppedEarly(), "the case under test: a stop while the next pass ran ahead");
        sameRun(new TrainConfig(0, 0.5, 30, 12, 7, true, false).withExtras(false, LearningRateSchedule.CONSTANT,
                false, 3), true);
        sameRun(new TrainConfig(0, 0.5, 30, 12, 7, true, false).withExtras(false, LearningRateSchedule.CONSTANT,
                true, 0).withAverageFrom(4), true);
    }

    @Test
    void aDivergingRunEndsOnTheEpochThatDiverged() {
        TrainConfig diverging = new TrainConfig(1, 1e6, 30, 6, 7, false, false);
        TrainResult r = run(diverging, 2, true, new ArrayList<>());
        assertNotNull(r.divergence(), "the case under test");
        assertTrue(r.history().size() < 6);
        sameRun(diverging, true);
    }

    @Test
    void aListenerThatThrowsLeavesThePoolFree() {
        TrainConfig config = new TrainConfig(0.01, 0.05, 37, 4, 7, false, false);
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(7).init(), false);
        try (WorkerPool pool = new WorkerPool(2)) {
            Trainer trainer = new Trainer(kernels, pool);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.train(config, init,
                    train, val, test, (record, epochs) -> {
                        if (record.epoch() == 2) {
                            throw new IllegalStateException("listener failed");
                        }
                    }));
            assertEquals("listener failed", e.getMessage());
            // the pool takes the next run: no evaluation was left running aside
            TrainResult again = trainer.train(config, init, train, val, test, EpochListener.NONE);
            assertEquals(4, again.history().size());
        }
    }
}
