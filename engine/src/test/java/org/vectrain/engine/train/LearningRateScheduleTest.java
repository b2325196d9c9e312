package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vectrain.engine.InputException;
import org.vectrain.engine.model.DataSet;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.simd.KernelProvider;

/** The learning-rate schedules, their validation, and the η the trainer logs per epoch. */
class LearningRateScheduleTest {

    @Test
    void constantStepAndCosineValues() {
        assertEquals(0.001, LearningRateSchedule.CONSTANT.eta(0.001, 17, 40));
        LearningRateSchedule step = LearningRateSchedule.step(10, 0.5);
        assertEquals(0.1, step.eta(0.1, 1, 40), 0);
        assertEquals(0.1, step.eta(0.1, 10, 40), 0);
        assertEquals(0.05, step.eta(0.1, 11, 40), 1e-15);
        assertEquals(0.0125, step.eta(0.1, 40, 40), 1e-15);
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.001);
        assertEquals(0.1, cosine.eta(0.1, 1, 40), 1e-15);
        assertEquals(0.0505, cosine.eta(0.1, 21, 40), 1e-12);
        double last = cosine.eta(0.1, 40, 40);
        assertTrue(last > 0.001 && last < 0.002, "last epoch " + last);
    }

    @Test
    void invalidValuesNameTheirFlag() {
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.step(0, 0.5)).getMessage()
                .startsWith("--step-every"));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.step(5, 1.5)).getMessage()
                .startsWith("--step-factor"));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.cosine(-1)).getMessage()
                .startsWith("--eta-min"));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.Kind.parse("linear")).getMessage()
                .startsWith("--schedule"));
        TrainConfig base = new TrainConfig(0, 0.01, 10, 5, 1, false, false);
        assertTrue(assertThrows(InputException.class,
                () -> base.withExtras(false, LearningRateSchedule.cosine(0.01), false, 0)).getMessage()
                .startsWith("--eta-min"));
        assertTrue(assertThrows(InputException.class,
                () -> base.withExtras(false, LearningRateSchedule.CONSTANT, false, -1)).getMessage()
                .startsWith("--patience"));
    }

    @Test
    void trainerUsesAndLogsTheScheduledEta() {
        DataSet train = TrainerDeterminismTest.synthetic(60, 1);
        DataSet val = TrainerDeterminismTest.synthetic(30, 2);
        TrainConfig config = new TrainConfig(0, 0.02, 20, 5, 3, false, false)
                .withExtras(false, LearningRateSchedule.step(2, 0.5), false, 0);
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(3).init(), false);
        TrainResult r;
        try (WorkerPool pool = new WorkerPool(1)) {
            r = new Trainer(KernelProvider.vector(), pool).train(config, init, train, val, null, EpochListener.NONE);
        }
        double[] etas = r.history().stream().mapToDouble(EpochRecord::eta).toArray();
        assertEquals(java.util.List.of(0.02, 0.02, 0.01, 0.01, 0.005),
                java.util.Arrays.stream(etas).boxed().toList());
        assertTrue(RunSummary.historyCsv(r).contains("\n5,0.005,"), RunSummary.historyCsv(r));
    }
}
