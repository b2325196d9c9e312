package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.kernels.provider.KernelProvider;

/**
 * A run continued from the checkpoint of its epoch k (written to disk and read back) ends with the same bits
 * as the run in one go: W, b and every history figure, shuffled and with flips, one epoch at a time (one
 * thread) and with the evaluation overlapped (two threads), with averaging and best-epoch selection too.
 */
class ResumeTest {
    private static final int EPOCHS = 5;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void kThenTheRestEqualsAllInOneGo(int threads) {
        DataSet train = SyntheticData.of("train", 300, 3072, 10, 5);
        DataSet val = SyntheticData.of("val", 64, 3072, 10, 6);
        DataSet test = SyntheticData.of("test", 64, 3072, 10, 7);
        TrainConfig plain = new TrainConfig(0.01, 0.005, 32, EPOCHS, 11, true, false, true,
                LearningRateSchedule.step(2, 0.5), false, 0, Loss.SOFTMAX);
        List<TrainConfig> configs = List.of(plain, plain.withExtras(true, LearningRateSchedule.CONSTANT, true, 0)
                .withAverageFrom(2));
        for (TrainConfig config : configs) {
            SoftmaxModel init = SoftmaxModel.gaussian(10, 3072, new SplittableRandom(3), false);
            try (WorkerPool pool = new WorkerPool(threads)) {
                Trainer trainer = new Trainer(KernelProvider.kernels(), pool);
                List<TrainingState> states = new ArrayList<>();
                TrainResult whole = trainer.train(config, init, train, val, test, EpochListener.NONE, true, null,
                        states::add);
                assertEquals(EPOCHS, states.size(), "one checkpoint per epoch");
                for (int k = 1; k < EPOCHS; k++) {
                    Path folder = tmp.resolve(threads + "-" + config.averages() + "-" + k);
                    Checkpoint.write(folder, config, states.get(k - 1), null);
                    Checkpoint.Saved saved = Checkpoint.read(folder, 10, 3072);
                    assertEquals(config, saved.config());
                    TrainResult rest = trainer.train(saved.config(), init, train, val, test, EpochListener.NONE, true,
                            saved.state(), null);
                    String what = config.label() + ", resumed after " + k + " of " + EPOCHS + " on " + threads
                            + " threads";
                    assertArrayEquals(whole.model().weights(), rest.model().weights(), what);
                    assertArrayEquals(whole.model().bias(), rest.model().bias(), what);
                    assertEquals(whole.modelEpoch(), rest.modelEpoch(), what);
                    assertEquals(whole.test(), rest.test(), what);
                    assertSameFigures(whole.history(), rest.history(), what);
                }
            }
        }
    }

    /** Every epoch's training and validation figures and η, to the bit. */
    static void assertSameFigures(List<EpochRecord> expected, List<EpochRecord> actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int e = 0; e < expected.size(); e++) {
            assertEquals(expected.get(e).train(), actual.get(e).train(), what);
            assertEquals(expected.get(e).validation(), actual.get(e).validation(), what);
            assertEquals(expected.get(e).eta(), actual.get(e).eta(), what);
        }
    }
}
