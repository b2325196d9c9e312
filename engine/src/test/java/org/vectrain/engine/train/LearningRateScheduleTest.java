package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

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
    void cyclicEtaAtKnownSteps() {
        // η_min = 1e-5, η_max = 0.1, n_s = 500: up from η_min over steps 0..500, down over 500..1000, again
        LearningRateSchedule cyclic = LearningRateSchedule.cyclic(1e-5, 500);
        double span = 0.1 - 1e-5;
        assertEquals(1e-5, cyclic.eta(0.1, 1, 40, 0), 0);
        assertEquals(1e-5 + 0.002 * span, cyclic.eta(0.1, 1, 40, 1), 1e-15);
        assertEquals(0.050005, cyclic.eta(0.1, 1, 40, 250), 1e-15);
        assertEquals(0.1, cyclic.eta(0.1, 2, 40, 500), 1e-15);
        assertEquals(0.080002, cyclic.eta(0.1, 2, 40, 600), 1e-15);
        assertEquals(0.050005, cyclic.eta(0.1, 2, 40, 750), 1e-15);
        assertEquals(1e-5, cyclic.eta(0.1, 3, 40, 1000), 1e-15);
        assertEquals(0.020008, cyclic.eta(0.1, 3, 40, 1100), 1e-15);
        // a later cycle repeats the first: step 7 * 1000 + 250 is a quarter of a cycle in
        assertEquals(cyclic.eta(0.1, 1, 40, 250), cyclic.eta(0.1, 30, 40, 7250), 0);
        // n_s = 1 alternates between the two ends
        LearningRateSchedule fast = LearningRateSchedule.cyclic(0, 1);
        assertEquals(java.util.List.of(0.0, 0.3, 0.0, 0.3), java.util.stream.LongStream.range(0, 4)
                .mapToObj(t -> fast.eta(0.3, 1, 1, t)).toList());
        assertTrue(cyclic.perStep());
        assertEquals("cyclic from 1.00e-05, n_s=500", cyclic.describe());
        assertEquals("cyclic from 0.0001, n_s=980", LearningRateSchedule.cyclic(1e-4, 980).describe());
        assertTrue(!LearningRateSchedule.cosine(0).perStep() && !LearningRateSchedule.step(2, 0.5).perStep());
        // the schedules set per epoch ignore the step count
        assertEquals(0.05, LearningRateSchedule.step(10, 0.5).eta(0.1, 11, 40, 123_456), 1e-15);
    }

    @Test
    void invalidValuesNameTheirParameter() {
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.cyclic(0, 0)).getMessage()
                .startsWith("halfCycle "));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.cyclic(-0.1, 10)).getMessage()
                .startsWith("etaMin "));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.step(0, 0.5)).getMessage()
                .startsWith("stepEvery "));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.step(5, 1.5)).getMessage()
                .startsWith("stepFactor "));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.cosine(-1)).getMessage()
                .startsWith("etaMin "));
        assertTrue(assertThrows(InputException.class, () -> LearningRateSchedule.Kind.parse("linear")).getMessage()
                .startsWith("schedule "));
        TrainConfig base = new TrainConfig(0, 0.01, 10, 5, 1, false, false);
        assertTrue(assertThrows(InputException.class,
                () -> base.withExtras(false, LearningRateSchedule.cosine(0.01), false, 0)).getMessage()
                .startsWith("etaMin "));
        assertTrue(assertThrows(InputException.class,
                () -> base.withExtras(false, LearningRateSchedule.cyclic(0.02, 10), false, 0)).getMessage()
                .startsWith("etaMin "));
        assertTrue(assertThrows(InputException.class,
                () -> base.withExtras(false, LearningRateSchedule.CONSTANT, false, -1)).getMessage()
                .startsWith("patience "));
    }

    @Test
    void trainerMovesCyclicEtaEveryStepAndLogsTheLastOfEachEpoch() {
        // 60 images in batches of 20: 3 updates per epoch; n_s = 2, so η runs min, mid, max, mid, min, mid, ...
        DataSet train = TrainFixtures.synthetic(60, 1);
        DataSet val = TrainFixtures.synthetic(30, 2);
        LearningRateSchedule cyclic = LearningRateSchedule.cyclic(0.001, 2);
        TrainConfig config = new TrainConfig(0.01, 0.021, 20, 3, 3, false, false)
                .withExtras(false, cyclic, false, 0);
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(3).init(), false);
        double[] byHand = {0.001, 0.011, 0.021, 0.011, 0.001, 0.011, 0.021, 0.011, 0.001};
        SoftmaxModel manual = init.copy();
        TrainResult r;
        try (WorkerPool pool = new WorkerPool(1)) {
            r = new Trainer(KernelProvider.vector(), pool).train(config, init, train, val, null, EpochListener.NONE);
            SgdStep step = new SgdStep(KernelProvider.vector(), pool, 10, train.dim(), 20);
            int[] order = java.util.stream.IntStream.range(0, 60).toArray();
            for (int t = 0; t < byHand.length; t++) {
                assertEquals(byHand[t], cyclic.eta(0.021, t / 3 + 1, 3, t), 1e-15, "step " + t);
                step.step(manual, train, order, (t % 3) * 20, 20, cyclic.eta(0.021, t / 3 + 1, 3, t), 0.01);
            }
        }
        assertArrayEquals(manual.weights(), r.model().weights(), "the trainer steps with the per-step η");
        assertArrayEquals(manual.bias(), r.model().bias());
        assertEquals(java.util.List.of(byHand[2], byHand[5], byHand[8]),
                r.history().stream().map(EpochRecord::eta).toList(), "logged: η of each epoch's last update");
    }

    @Test
    void trainerUsesAndLogsTheScheduledEta() {
        DataSet train = TrainFixtures.synthetic(60, 1);
        DataSet val = TrainFixtures.synthetic(30, 2);
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
