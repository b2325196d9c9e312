package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * The checkpoint thread: states handed over faster than they can be written leave, once the writer is closed, the
 * last one on disk, whole; a write that fails is thrown where the run will see it.
 */
class CheckpointWriterTest {
    @TempDir
    Path tmp;

    @Test
    void closingLeavesTheLastStateOnDisk() {
        DataSet train = SyntheticData.of("train", 64, 3072, 10, 5);
        TrainConfig config = new TrainConfig(0.01, 0.005, 32, 6, 11, true, false, false,
                LearningRateSchedule.CONSTANT, false, 0, Loss.SOFTMAX);
        List<TrainingState> states = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            new Trainer(KernelProvider.kernels(), pool).train(config,
                    SoftmaxModel.gaussian(10, 3072, new SplittableRandom(3), false), train, train, null,
                    EpochListener.NONE, true, null, states::add);
        }
        Path folder = tmp.resolve("checkpoint");
        try (Checkpoint.Writer<TrainingState> writer = Checkpoint.Writer.of(folder, config, null)) {
            // all at once: most are replaced before the thread gets to them
            states.forEach(writer);
        }
        TrainingState read = Checkpoint.read(folder, 10, 3072).state();
        TrainingState last = states.get(states.size() - 1);
        assertEquals(last.epoch(), read.epoch());
        assertArrayEquals(last.model().weights(), read.model().weights());
        assertEquals(last.history().size(), read.history().size());
    }

    @Test
    void aWriteThatFailsIsThrownFromClose() throws Exception {
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        TrainConfig config = new TrainConfig(0.01, 0.005, 32, 1, 11, false, false, false,
                LearningRateSchedule.CONSTANT, false, 0, Loss.SOFTMAX);
        TrainingState state = new TrainingState(1, 2, SoftmaxModel.gaussian(10, 3072, new SplittableRandom(3), false),
                List.of(), 0, Double.NEGATIVE_INFINITY, null, null, null, 0);
        Checkpoint.Writer<TrainingState> writer = Checkpoint.Writer.of(notAFolder, config, null);
        writer.accept(state);
        assertThrows(RuntimeException.class, writer::close);
    }
}
