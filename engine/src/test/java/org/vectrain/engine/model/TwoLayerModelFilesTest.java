package org.vectrain.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.io.Npy;

/**
 * A two-layer model folder written by {@link ModelFiles#writeTwoLayer} reads back as the same network (W1's rows
 * without the kernels' padding), and a file of the wrong shape or with NaN is refused naming the file.
 */
class TwoLayerModelFilesTest {
    private static final int CLASSES = 3;
    private static final int DIM = 7;
    private static final int HIDDEN = 5;

    @TempDir
    Path folder;

    private TwoLayerModel written() {
        TwoLayerModel network = TwoLayerModel.gaussian(CLASSES, DIM, HIDDEN, DIM + 9, new SplittableRandom(3));
        double[] mean = new double[DIM];
        double[] std = new double[DIM];
        for (int d = 0; d < DIM; d++) {
            mean[d] = 0.4 + 0.01 * d;
            std[d] = 0.2;
        }
        List<String> names = new ArrayList<>(List.of("a", "b", "c"));
        ModelFiles.writeTwoLayer(folder, network, new Normalization(mean, std), names, "softmax", 4, null);
        return network;
    }

    @Test
    void aNetworkReadsBackAsWritten() {
        TwoLayerModel network = written();
        ModelFiles.TrainedModel read = ModelFiles.read(folder);
        assertNull(read.model());
        assertEquals(HIDDEN, read.network().hidden());
        assertEquals(CLASSES, read.classes());
        assertEquals(DIM, read.dim());
        assertArrayEquals(network.w1Rows(), read.network().w1Rows());
        assertArrayEquals(network.b1(), read.network().b1());
        assertArrayEquals(network.w2(), read.network().w2());
        assertArrayEquals(network.b2(), read.network().b2());
        assertArrayEquals(network.w1Rows(), read.network().withStride(DIM + 30).w1Rows());
        assertEquals("two-layer network", read.card().path("kind").asText());
    }

    @Test
    void aWrongShapeOrNaNIsRefusedNamingTheFile() {
        written();
        Npy.write(folder.resolve(ModelFiles.W2), new float[CLASSES * (HIDDEN + 1)], CLASSES, HIDDEN + 1);
        InputException shape = assertThrows(InputException.class, () -> ModelFiles.read(folder));
        assertTrue(shape.getMessage().contains("W2.npy") && shape.getMessage().contains("[3, 5]"), shape.getMessage());
        float[] w1 = new float[HIDDEN * DIM];
        w1[4] = Float.NaN;
        Npy.write(folder.resolve(ModelFiles.W2), new float[CLASSES * HIDDEN], CLASSES, HIDDEN);
        Npy.write(folder.resolve(ModelFiles.W1), w1, HIDDEN, DIM);
        InputException nan = assertThrows(InputException.class, () -> ModelFiles.read(folder));
        assertTrue(nan.getMessage().contains("W1.npy") && nan.getMessage().contains("NaN"), nan.getMessage());
    }

    @Test
    void anUnknownKindIsRefused() throws Exception {
        written();
        Path card = folder.resolve(ModelFiles.CARD);
        Files.writeString(card, Files.readString(card).replace("two-layer network", "forest"));
        InputException e = assertThrows(InputException.class, () -> ModelFiles.read(folder));
        assertTrue(e.getMessage().contains("kind 'forest'"), e.getMessage());
    }
}
