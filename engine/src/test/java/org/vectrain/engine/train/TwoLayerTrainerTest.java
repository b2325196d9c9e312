package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * The two-layer trainer: it overfits a small set (the assignment's sanity check), and every extra (shuffling, flips,
 * translations, the cyclical schedule, averaging, keep-best) gives the same bits on one thread and on two, and a run
 * without training figures (a search's) measures the training set only for the model it returns.
 */
class TwoLayerTrainerTest {
    private static final int CLASSES = 10;

    private static TwoLayerModel network(int dim, int hidden, long seed) {
        return TwoLayerModel.gaussian(CLASSES, dim, hidden, TwoLayerKernels.weightStride(dim),
                new RandomStreams(seed).init());
    }

    private static TwoLayerResult train(int threads, TrainConfig config, DataSet train, DataSet validation,
            int hidden) {
        try (WorkerPool pool = new WorkerPool(threads)) {
            return new TwoLayerTrainer(KernelProvider.twoLayerKernels(), KernelProvider.kernels(), pool)
                    .train(config, network(train.dim(), hidden, config.seed()), train, validation, validation,
                            (record, epochs) -> { });
        }
    }

    @Test
    void overfitsOneHundredImages() {
        DataSet train = SyntheticData.of("train", 100, 3072, CLASSES, 3);
        TrainConfig config = new TrainConfig(0, 0.02, 10, 60, 5, true, true, false,
                LearningRateSchedule.CONSTANT, false, 0, Loss.SOFTMAX, 0, 0);
        TwoLayerResult result = train(2, config, train, train, 50);
        double accuracy = result.history().get(result.history().size() - 1).train().accuracy();
        assertTrue(accuracy > 0.95, "training accuracy " + accuracy + " after 60 epochs");
        assertTrue(result.history().get(0).train().loss() > 5 * result.history().get(59).train().loss(),
                result.history().get(0).train().loss() + " -> " + result.history().get(59).train().loss());
    }

    @Test
    void everyExtraGivesTheSameBitsOnOneThreadAndTwo() {
        DataSet train = SyntheticData.of("train", 300, 3072, CLASSES, 4);
        DataSet validation = SyntheticData.of("validation", 130, 3072, CLASSES, 5);
        TrainConfig config = new TrainConfig(0.01, 0.05, 50, 4, 9, true, true, true,
                LearningRateSchedule.cyclic(1e-5, 9), true, 0, Loss.SOFTMAX, 2, 3);
        TwoLayerResult one = train(1, config, train, validation, 17);
        TwoLayerResult two = train(2, config, train, validation, 17);
        assertArrayEquals(one.model().w1(), two.model().w1());
        assertArrayEquals(one.model().b1(), two.model().b1());
        assertArrayEquals(one.model().w2(), two.model().w2());
        assertArrayEquals(one.model().b2(), two.model().b2());
        assertEquals(figures(one), figures(two));
        assertEquals(one.test(), two.test());
        assertEquals(4, one.history().size());
    }

    @Test
    void withoutTrainingFiguresOnlyTheReturnedModelIsMeasuredOnTheTrainingSetAndTheBitsStay() {
        DataSet train = SyntheticData.of("train", 200, 3072, CLASSES, 4);
        DataSet validation = SyntheticData.of("validation", 90, 3072, CLASSES, 5);
        TrainConfig config = new TrainConfig(0.01, 0.05, 50, 3, 9, true, true, false,
                LearningRateSchedule.CONSTANT, true, 0, Loss.SOFTMAX, 0, 0);
        TwoLayerResult measured = train(2, config, train, validation, 12);
        TwoLayerResult unmeasured;
        try (WorkerPool pool = new WorkerPool(2)) {
            unmeasured = new TwoLayerTrainer(KernelProvider.twoLayerKernels(), KernelProvider.kernels(), pool)
                    .train(config, Dropout.NONE, network(train.dim(), 12, config.seed()), train, validation,
                            validation, (record, epochs) -> { }, false);
        }
        assertArrayEquals(measured.model().w1(), unmeasured.model().w1());
        assertEquals(measured.test(), unmeasured.test());
        int chosen = unmeasured.modelEpoch();
        for (int e = 0; e < 3; e++) {
            assertEquals(measured.history().get(e).validation(), unmeasured.history().get(e).validation());
            if (e == chosen - 1) {
                assertEquals(measured.history().get(e).train(), unmeasured.history().get(e).train());
            } else {
                assertTrue(Double.isNaN(unmeasured.history().get(e).train().loss()), "epoch " + (e + 1));
            }
        }
    }

    private static List<Object> figures(TwoLayerResult r) {
        return r.history().stream().map(e -> (Object) List.of(e.epoch(), e.eta(), e.train(), e.validation()))
                .toList();
    }
}
