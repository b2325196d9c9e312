package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vectrain.engine.train.TrainFixtures.DIM;
import static org.vectrain.engine.train.TrainFixtures.figures;
import static org.vectrain.engine.train.TrainFixtures.synthetic;

import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * The same seed gives the same weights and figures, bit for bit: across repeated runs in one JVM
 * (the first of which runs partly interpreted, the later ones compiled) and across thread counts.
 */
class TrainerDeterminismTest {
    static TrainResult train(Kernels kernels, int threads, DataSet train, DataSet val, boolean shuffle) {
        // a large eta makes the run chaotic, so that any difference in rounding would grow visibly
        return train(kernels, threads, train, val, new TrainConfig(0.01, 0.05, 37, 3, 7, shuffle, false));
    }

    static TrainResult train(Kernels kernels, int threads, DataSet train, DataSet val, TrainConfig config) {
        SoftmaxModel init = SoftmaxModel.gaussian(10, DIM, new RandomStreams(7).init(), false);
        try (WorkerPool pool = new WorkerPool(threads)) {
            return new Trainer(kernels, pool).train(config, init, train, val, val, EpochListener.NONE);
        }
    }

    @Test
    void sameSeedSameBitsAcrossRunsAndThreadCounts() {
        DataSet train = synthetic(403, 1);
        DataSet val = synthetic(301, 2);
        for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
            for (boolean shuffle : new boolean[] {false, true}) {
                TrainResult first = train(kernels, 1, train, val, shuffle);
                for (int threads : new int[] {2, 1, 3}) {
                    TrainResult again = train(kernels, threads, train, val, shuffle);
                    String what = kernels.description() + ", shuffle " + shuffle + ", " + threads + " threads";
                    assertArrayEquals(first.model().weights(), again.model().weights(), "W: " + what);
                    assertArrayEquals(first.model().bias(), again.model().bias(), "b: " + what);
                    assertEquals(figures(first), figures(again), "per-epoch figures: " + what);
                    assertEquals(first.test(), again.test(), "test figures: " + what);
                }
            }
        }
    }

    @Test
    void extrasAreDeterministicToo() {
        // every extra at once: shuffle, flips, translations, the per-step cyclic η, best epoch and averaging
        DataSet train = synthetic(403, 1);
        DataSet val = synthetic(301, 2);
        TrainConfig config = new TrainConfig(0.01, 0.05, 37, 4, 7, true, false)
                .withExtras(true, LearningRateSchedule.cyclic(0.001, 7), true, 0).withTranslate(2).withAverageFrom(2);
        for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
            TrainResult first = train(kernels, 1, train, val, config);
            for (int threads : new int[] {2, 1, 3}) {
                TrainResult again = train(kernels, threads, train, val, config);
                String what = kernels.description() + ", " + threads + " threads";
                assertArrayEquals(first.model().weights(), again.model().weights(), "W: " + what);
                assertArrayEquals(first.model().bias(), again.model().bias(), "b: " + what);
                assertEquals(figures(first), figures(again), "per-epoch figures: " + what);
                assertEquals(first.test(), again.test(), "test figures: " + what);
                assertEquals(first.modelEpoch(), again.modelEpoch(), "kept epoch: " + what);
            }
        }
    }
}
