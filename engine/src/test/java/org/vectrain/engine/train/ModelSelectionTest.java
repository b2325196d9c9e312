package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/** --keep-best keeps the epoch of best validation accuracy; --patience stops when it stops improving. */
class ModelSelectionTest {
    final DataSet train = TrainFixtures.synthetic(120, 1);
    final DataSet val = TrainFixtures.synthetic(60, 2);
    final DataSet test = TrainFixtures.synthetic(60, 3);
    final Kernels kernels = KernelProvider.vector();

    TrainResult run(TrainConfig config) {
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(7).init(), false);
        try (WorkerPool pool = new WorkerPool(1)) {
            return new Trainer(kernels, pool).train(config, init, train, val, test, EpochListener.NONE);
        }
    }

    /** The first epoch of highest validation accuracy. */
    static int argmax(List<EpochRecord> history) {
        int best = 0;
        for (int i = 1; i < history.size(); i++) {
            if (history.get(i).validation().accuracy() > history.get(best).validation().accuracy()) {
                best = i;
            }
        }
        return best + 1;
    }

    @Test
    void keepBestTestsTheBestEpochsWeights() {
        // random labels and a large η: validation accuracy wanders, so the best epoch is not the last
        TrainConfig plain = new TrainConfig(0, 0.5, 30, 8, 7, true, false);
        TrainResult last = run(plain);
        TrainResult best = run(plain.withExtras(false, LearningRateSchedule.CONSTANT, true, 0));
        assertEquals(figures(last), figures(best), "selection does not change the training itself");
        int expected = argmax(best.history());
        assertEquals(expected, best.bestEpoch());
        assertEquals(expected, best.modelEpoch());
        assertEquals(8, last.modelEpoch());
        assertFalse(best.stoppedEarly());
        try (WorkerPool pool = new WorkerPool(1)) {
            Evaluator evaluator = new Evaluator(kernels, pool, 10);
            assertEquals(best.history().get(expected - 1).validation(), evaluator.evaluate(best.model(), val, 0, null),
                    "the kept weights are those of the best epoch");
            assertEquals(evaluator.evaluate(best.model(), test, 0, null), best.test(), "test measures the kept model");
        }
        if (expected != 8) {
            assertFalse(java.util.Arrays.equals(last.model().weights(), best.model().weights()));
        }
        var summary = RunSummary.toJson(best.history().isEmpty() ? plain : plain.withExtras(false,
                LearningRateSchedule.CONSTANT, true, 0), new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode(), "test", best, RunEnvironment.current("k", 1));
        assertEquals(expected, summary.get("best_epoch").asInt());
        assertEquals(expected, summary.get("model_epoch").asInt());
        assertTrue(summary.get("config").get("keep_best").asBoolean());
    }

    @Test
    void patienceStopsAfterThatManyEpochsWithoutImprovement() {
        TrainConfig config = new TrainConfig(0, 0.5, 30, 40, 7, true, false)
                .withExtras(false, LearningRateSchedule.CONSTANT, true, 2);
        TrainResult r = run(config);
        List<EpochRecord> h = r.history();
        int best = argmax(h);
        assertTrue(r.stoppedEarly(), "random labels cannot keep improving for 40 epochs");
        assertEquals(best + 2, h.size(), "stops 2 epochs after the best");
        assertEquals(best, r.bestEpoch());
        for (int i = best; i < h.size(); i++) {
            assertTrue(h.get(i).validation().accuracy() <= h.get(best - 1).validation().accuracy());
        }
    }

    @Test
    void defaultsAreTheAssignmentsRunBitForBit() {
        TrainConfig plain = new TrainConfig(0.01, 0.05, 37, 3, 7, false, false);
        TrainConfig explicit = plain.withExtras(false, LearningRateSchedule.CONSTANT, false, 0);
        assertEquals(plain, explicit);
        assertEquals("λ=0.01, n_batch=37, η=0.05, 3 epochs", plain.label());
        TrainResult a = run(plain);
        assertEquals(0, a.bestEpoch());
        assertEquals(3, a.modelEpoch());
        assertArrayEquals(run(explicit).model().weights(), a.model().weights());
    }

    static List<Object> figures(TrainResult r) {
        return TrainFixtures.figures(r);
    }
}
