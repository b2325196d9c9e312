package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * A two-layer run continued from the checkpoint of its epoch k (written to disk and read back) ends with the same
 * bits as the run in one go: W1, b1, W2, b2 and every history figure, with shuffling, flips, translations, the
 * cyclical schedule and dropout (whose per-step seeds are drawn again), and with averaging and best-epoch selection,
 * on one thread and on two. A checkpoint of either kind is refused where the other is expected.
 */
class TwoLayerResumeTest {
    private static final int EPOCHS = 4;
    private static final int CLASSES = 10;
    private static final int HIDDEN = 13;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void kThenTheRestEqualsAllInOneGo(int threads) {
        DataSet train = SyntheticData.of("train", 240, 3072, CLASSES, 5);
        DataSet val = SyntheticData.of("val", 70, 3072, CLASSES, 6);
        DataSet test = SyntheticData.of("test", 50, 3072, CLASSES, 7);
        TrainConfig augmented = new TrainConfig(0.01, 0.05, 40, EPOCHS, 11, true, false, true,
                LearningRateSchedule.cyclic(1e-5, 7), false, 0, Loss.SOFTMAX, 2, 0);
        TrainConfig averagedBest = new TrainConfig(0.001, 0.02, 40, EPOCHS, 12, true, false, false,
                LearningRateSchedule.CONSTANT, true, 0, Loss.SOFTMAX, 0, 2);
        for (TrainConfig config : List.of(augmented, averagedBest)) {
            Dropout dropout = config == augmented ? new Dropout(0.3) : Dropout.NONE;
            TwoLayerModel init = TwoLayerModel.gaussian(CLASSES, 3072, HIDDEN, TwoLayerKernels.weightStride(3072),
                    new RandomStreams(config.seed()).init());
            try (WorkerPool pool = new WorkerPool(threads)) {
                TwoLayerTrainer trainer = new TwoLayerTrainer(KernelProvider.twoLayerKernels(), KernelProvider.kernels(),
                        pool);
                List<TwoLayerTrainingState> states = new ArrayList<>();
                TwoLayerResult whole = trainer.train(config, dropout, init, train, val, test, EpochListener.NONE, true,
                        null, states::add);
                assertEquals(EPOCHS, states.size(), "one checkpoint per epoch");
                for (int k = 1; k < EPOCHS; k++) {
                    Path folder = tmp.resolve(threads + "-" + config.seed() + "-" + k);
                    Checkpoint.writeTwoLayer(folder, config, dropout, states.get(k - 1), null);
                    Checkpoint.SavedTwoLayer saved = Checkpoint.readTwoLayer(folder, CLASSES, 3072, init.stride());
                    assertEquals(config, saved.config());
                    assertEquals(dropout, saved.dropout());
                    assertTrue(Checkpoint.holdsTwoLayer(folder));
                    TwoLayerResult rest = trainer.train(saved.config(), saved.dropout(), init, train, val, test,
                            EpochListener.NONE, true, saved.state(), null);
                    String what = config.label() + dropout.label() + ", resumed after " + k + " of " + EPOCHS + " on "
                            + threads + " threads";
                    assertArrayEquals(whole.model().w1(), rest.model().w1(), what);
                    assertArrayEquals(whole.model().b1(), rest.model().b1(), what);
                    assertArrayEquals(whole.model().w2(), rest.model().w2(), what);
                    assertArrayEquals(whole.model().b2(), rest.model().b2(), what);
                    assertEquals(whole.modelEpoch(), rest.modelEpoch(), what);
                    assertEquals(whole.test(), rest.test(), what);
                    ResumeTest.assertSameFigures(whole.history(), rest.history(), what);
                }
            }
        }
    }

    @Test
    void eachKindOfCheckpointIsRefusedWhereTheOtherIsExpected() {
        DataSet train = SyntheticData.of("train", 80, 3072, CLASSES, 5);
        TrainConfig config = new TrainConfig(0.01, 0.05, 40, 1, 3, false, false, false,
                LearningRateSchedule.CONSTANT, false, 0, Loss.SOFTMAX, 0, 0);
        TwoLayerModel init = TwoLayerModel.gaussian(CLASSES, 3072, HIDDEN, TwoLayerKernels.weightStride(3072),
                new RandomStreams(3).init());
        List<TwoLayerTrainingState> states = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            new TwoLayerTrainer(KernelProvider.twoLayerKernels(), KernelProvider.kernels(), pool).train(config,
                    Dropout.NONE, init, train, train, null, EpochListener.NONE, true, null, states::add);
        }
        Path twoLayer = tmp.resolve("two-layer");
        Checkpoint.writeTwoLayer(twoLayer, config, Dropout.NONE, states.get(0), null);
        InputException e = assertThrows(InputException.class, () -> Checkpoint.read(twoLayer, CLASSES, 3072));
        assertTrue(e.getMessage().contains("two-layer network"), e.getMessage());
        assertTrue(e.getMessage().contains("state.json"), e.getMessage());

        List<TrainingState> oneLayerStates = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            new Trainer(KernelProvider.kernels(), pool).train(config,
                    SoftmaxModel.gaussian(CLASSES, 3072, new SplittableRandom(3), false), train, train, null,
                    EpochListener.NONE, true, null, oneLayerStates::add);
        }
        Path oneLayer = tmp.resolve("one-layer");
        Checkpoint.write(oneLayer, config, oneLayerStates.get(0), null);
        e = assertThrows(InputException.class, () -> Checkpoint.readTwoLayer(oneLayer, CLASSES, 3072, init.stride()));
        assertTrue(e.getMessage().contains("one-layer model"), e.getMessage());
    }
}
