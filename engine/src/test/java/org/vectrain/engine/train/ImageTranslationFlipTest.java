package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vectrain.engine.train.TrainFixtures.flipInto;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.kernels.scalar.ImageTranslation;
import org.vectrain.engine.kernels.vector.VectorTranslation;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/** Flips mirror each row of each plane, happen before the normalisation, and cost no allocation. */
class ImageTranslationFlipTest {
    static final int SIDE = 32;
    static final int PLANE = SIDE * SIDE;

    /** Pixel (c, y, x) of a CIFAR record: planes R, G, B of 32 x 32, row-major. */
    static int at(int c, int y, int x) {
        return c * PLANE + y * SIDE + x;
    }

    @Test
    void mirrorsEveryRowOfEveryPlaneAndNothingElse() {
        // a "ramp" image: the value tells plane and column; every row of a plane is the same ramp
        byte[] ramp = new byte[3 * PLANE];
        // a "bands" image: the value tells plane and row, constant along each row
        byte[] bands = new byte[3 * PLANE];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    ramp[at(c, y, x)] = (byte) (c * 64 + x);
                    bands[at(c, y, x)] = (byte) (c * 64 + y);
                }
            }
        }
        byte[] out = new byte[3 * PLANE];
        flipInto(ramp, 0, out, 0);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    assertEquals(c * 64 + (SIDE - 1 - x), out[at(c, y, x)] & 0xFF, "ramp pixel (c, y, x) = (" + c + ", " + y
                            + ", " + x + ")");
                }
            }
        }
        // rows do not move and planes are not swapped: an image constant along rows is its own mirror
        flipInto(bands, 0, out, 0);
        assertArrayEquals(bands, out, "bands image (constant along rows) must be unchanged");

        // and it is not the reversal of the 3072-vector (which would swap R and B and turn rows upside down)
        byte[] reversed = new byte[bands.length];
        for (int d = 0; d < bands.length; d++) {
            reversed[d] = bands[bands.length - 1 - d];
        }
        assertFalse(Arrays.equals(reversed, out), "a flip is not the reversal of the whole vector");
        assertEquals(bands[at(0, 0, 0)], out[at(0, 0, 0)], "R stays R");
        assertEquals(2 * 64 + 31, reversed[at(0, 0, 0)] & 0xFF, "the reversal would have moved B's last row to R's first");

        // flipping twice gives the image back, at any offsets
        byte[] two = new byte[2 * 3 * PLANE];
        flipInto(ramp, 0, two, 3 * PLANE);
        flipInto(two, 3 * PLANE, two, 0);
        assertArrayEquals(ramp, Arrays.copyOf(two, 3 * PLANE));
    }

    @Test
    void vectorFlipEqualsItsScalarTwin() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        byte[] src = new byte[3 * 3 * PLANE + 7];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) random.nextInt(256);
        }
        for (int offset : new int[] {0, 5, 3 * PLANE + 7}) {
            byte[] scalar = new byte[3 * PLANE + 11];
            byte[] vector = new byte[3 * PLANE + 11];
            flipInto(src, offset, scalar, 11);
            VectorTranslation.translateInto(src, offset, vector, 11, true, 0, 0);
            assertArrayEquals(scalar, vector, "source offset " + offset);
        }
    }

    /** {@code set} with the images marked in {@code flip} already mirrored in the bytes, same normalisation. */
    static DataSet preFlipped(DataSet set, boolean[] flip) {
        byte[] pixels = set.pixels().clone();
        for (int i = 0; i < set.size(); i++) {
            if (flip[i]) {
                flipInto(set.pixels(), i * set.dim(), pixels, i * set.dim());
            }
        }
        return new DataSet(set.name(), pixels, set.labels(), set.dim(), set.scale(), set.shift());
    }

    @Test
    void aFlippedStepEqualsAPlainStepOnRawFlippedImagesWithTheOriginalNormalisation() {
        // the synthetic set has a different scale and shift in every dimension, so using the mirrored
        // dimension's normalisation (or flipping normalised features) would give different numbers
        DataSet set = TrainFixtures.synthetic(50, 11);
        boolean[] flip = new boolean[set.size()];
        for (int i = 0; i < flip.length; i++) {
            flip[i] = i % 3 != 1;
        }
        DataSet flippedRaw = preFlipped(set, flip);
        DataSet wrong = new DataSet("mirrored normalisation", flippedRaw.pixels(), set.labels(), set.dim(),
                mirrored(set.scale()), mirrored(set.shift()));
        int[] rows = {7, 3, 44, 0, 19, 21, 8, 30, 31, 2, 49, 5, 12};
        for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
            SoftmaxModel init = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(5).init(), false);
            try (WorkerPool pool = new WorkerPool(2)) {
                SgdStep step = new SgdStep(kernels, pool, 10, set.dim(), 16);
                SoftmaxModel a = init.copy();
                double lossA = step.step(a, set, rows, 1, 11, 0.01, 0.1, flip);
                SoftmaxModel b = init.copy();
                double lossB = step.step(b, flippedRaw, rows, 1, 11, 0.01, 0.1);
                assertEquals(lossB, lossA, kernels.description());
                assertArrayEquals(b.weights(), a.weights(), kernels.description());
                assertArrayEquals(b.bias(), a.bias(), kernels.description());
                SoftmaxModel c = init.copy();
                step.step(c, wrong, rows, 1, 11, 0.01, 0.1);
                assertFalse(Arrays.equals(c.weights(), a.weights()), "the normalisation follows the position");
                // and without flips the plain set is unchanged
                SoftmaxModel d = init.copy();
                step.step(d, set, rows, 1, 11, 0.01, 0.1, new boolean[set.size()]);
                SoftmaxModel e = init.copy();
                step.step(e, set, rows, 1, 11, 0.01, 0.1);
                assertArrayEquals(e.weights(), d.weights(), "no image flipped");
            }
        }
    }

    /** The per-dimension array of the mirrored position, row by row. */
    static float[] mirrored(float[] perDim) {
        float[] out = new float[perDim.length];
        for (int r = 0; r < perDim.length / SIDE; r++) {
            for (int x = 0; x < SIDE; x++) {
                out[r * SIDE + x] = perDim[r * SIDE + SIDE - 1 - x];
            }
        }
        return out;
    }

    @Test
    void flippedStepsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DataSet set = TrainFixtures.synthetic(64, 3);
        int[] rows = new int[set.size()];
        boolean[] flip = new boolean[set.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
            flip[i] = i % 2 == 0;
        }
        SoftmaxModel model = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(1).init(), false);
        try (WorkerPool pool = new WorkerPool(2)) {
            SgdStep step = new SgdStep(KernelProvider.scalar(), pool, 10, set.dim(), 16);
            for (int i = 0; i < 20; i++) {
                step.step(model, set, rows, (i % 4) * 16, 16, 1e-3, 0.1, flip);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                step.step(model, set, rows, (i % 4) * 16, 16, 1e-3, 0.1, flip);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(bytes < 50 * 8, "50 flipped steps allocated " + bytes + " bytes on the calling thread");
        }
    }

    @Test
    void trainerFlipsAboutHalfTheImagesPerEpochAndStaysDeterministic() {
        DataSet train = TrainFixtures.synthetic(200, 1);
        DataSet val = TrainFixtures.synthetic(64, 2);
        TrainConfig plain = new TrainConfig(0.01, 0.01, 50, 2, 7, true, false);
        TrainConfig flips = plain.withExtras(true, LearningRateSchedule.CONSTANT, false, 0);
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(7).init(), false);
        TrainResult p;
        TrainResult f1;
        TrainResult f2;
        try (WorkerPool one = new WorkerPool(1); WorkerPool two = new WorkerPool(2)) {
            p = new Trainer(KernelProvider.vector(), one).train(plain, init, train, val, null, EpochListener.NONE);
            f1 = new Trainer(KernelProvider.vector(), one).train(flips, init, train, val, null, EpochListener.NONE);
            f2 = new Trainer(KernelProvider.vector(), two).train(flips, init, train, val, null, EpochListener.NONE);
        }
        assertFalse(Arrays.equals(p.model().weights(), f1.model().weights()), "flips change the training");
        assertArrayEquals(f1.model().weights(), f2.model().weights(), "same seed, same flips, any thread count");
        // the stream the trainer draws from: per image, in index order, about half flipped
        var random = new RandomStreams(7).augmentation();
        int flipped = 0;
        for (int i = 0; i < train.size(); i++) {
            flipped += random.nextBoolean() ? 1 : 0;
        }
        assertTrue(flipped > 70 && flipped < 130, flipped + " of 200 flipped in epoch 1");
    }
}
