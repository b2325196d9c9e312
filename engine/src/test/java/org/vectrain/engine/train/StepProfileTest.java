package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/** Timing the step's phases: what it counts, that the phases nest, and that it changes no result. */
class StepProfileTest {
    /** Three strips, so both column parts have columns. */
    private static final int DIM = 600;

    private static SoftmaxModel train(int threads, StepProfile profile, int steps, DataSet set) {
        SoftmaxModel model = SoftmaxModel.gaussian(10, DIM, new RandomStreams(3).init(), false);
        int[] order = IntStream.range(0, set.size()).toArray();
        try (WorkerPool pool = new WorkerPool(threads)) {
            SgdStep step = new SgdStep(KernelProvider.vector(), pool, 10, DIM, 20);
            step.profile(profile);
            for (int t = 0; t < steps; t++) {
                step.step(model, set, order, (t % 5) * 20, 20, 0.01, 0.1);
            }
        }
        return model;
    }

    @Test
    void phasesNestInTheStepAndPartsInTheirPhases() {
        DataSet set = SyntheticData.of("profiled", 100, DIM, 10, 9);
        for (int threads = 1; threads <= 2; threads++) {
            StepProfile profile = new StepProfile();
            train(threads, profile, 30, set);
            String where = threads + " threads";
            assertEquals(30, profile.steps(), where);
            // each step's sum holds for the sums over the same steps, so for their means too
            assertTrue(profile.stepMicros() >= profile.forwardMicros() + profile.serialMicros()
                    + profile.updateMicros(), where);
            for (int part = 0; part < SgdStep.COLUMN_PARTS; part++) {
                assertTrue(profile.forwardPartMicros(part) > 0 && profile.updatePartMicros(part) > 0, where);
                // a part runs inside its phase, on whichever thread
                assertTrue(profile.forwardMicros() >= profile.forwardPartMicros(part), where);
                assertTrue(profile.updateMicros() >= profile.updatePartMicros(part), where);
            }
            if (threads == 1) {
                // one thread runs the parts one after the other
                assertTrue(profile.forwardMicros() >= profile.forwardPartMicros(0) + profile.forwardPartMicros(1));
            }
            profile.reset();
            assertEquals(0, profile.steps());
            assertTrue(Double.isNaN(profile.stepMicros()) && Double.isNaN(profile.updatePartMicros(1)));
        }
    }

    @Test
    void timingChangesNoResult() {
        DataSet set = SyntheticData.of("profiled", 100, DIM, 10, 10);
        SoftmaxModel plain = train(2, null, 25, set);
        SoftmaxModel timed = train(2, new StepProfile(), 25, set);
        assertArrayEquals(plain.weights(), timed.weights(), 0f);
        assertArrayEquals(plain.bias(), timed.bias(), 0f);
    }
}
