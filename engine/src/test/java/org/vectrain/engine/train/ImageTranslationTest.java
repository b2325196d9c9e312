package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.kernels.scalar.ImageTranslation;
import org.vectrain.engine.kernels.vector.VectorTranslation;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;

/**
 * Translations move the content of every plane alike, repeat the edge pixels into the uncovered border,
 * compose with the flip as "flip, then move", and the trainer draws them from their own stream.
 */
class ImageTranslationTest {
    static final int SIDE = 32;
    static final int IMAGE = 3 * SIDE * SIDE;

    static int at(int c, int y, int x) {
        return (c * SIDE + y) * SIDE + x;
    }

    /** An image whose pixel tells its plane, row and column: 64 c + (y + x) mod 64, and (y, x) recorded apart. */
    static byte[] coded() {
        byte[] img = new byte[IMAGE];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    img[at(c, y, x)] = (byte) (c * 80 + (y * 7 + x * 3) % 80);
                }
            }
        }
        return img;
    }

    @Test
    void aMarkedPixelMovesRightAndDownAndTheBorderRepeatsTheEdge() {
        // a dark image with one bright pixel at (plane 1, row 10, column 20)
        byte[] img = new byte[IMAGE];
        img[at(1, 10, 20)] = (byte) 255;
        byte[] out = new byte[IMAGE];
        ImageTranslation.translateInto(img, 0, out, 0, false, 3, -2);
        assertEquals(255, out[at(1, 8, 23)] & 0xFF, "moved 3 right and 2 up, still in plane 1");
        int bright = 0;
        for (byte b : out) {
            bright += b != 0 ? 1 : 0;
        }
        assertEquals(1, bright, "nothing else lit, no other plane touched");

        // edge replication: moving right by 2 fills columns 0 and 1 with the old column 0, row by row;
        // moving up by 3 fills the last 3 rows with the old last row
        byte[] src = coded();
        ImageTranslation.translateInto(src, 0, out, 0, false, 2, -3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < SIDE; y++) {
                int sy = Math.min(SIDE - 1, y + 3);
                assertEquals(src[at(c, sy, 0)], out[at(c, y, 0)], "c " + c + " y " + y);
                assertEquals(src[at(c, sy, 0)], out[at(c, y, 1)], "c " + c + " y " + y);
                for (int x = 2; x < SIDE; x++) {
                    assertEquals(src[at(c, sy, x - 2)], out[at(c, y, x)], "(" + c + ", " + y + ", " + x + ")");
                }
            }
        }
        // an image constant in every plane is its own translation: planes never mix
        byte[] flat = new byte[IMAGE];
        for (int c = 0; c < 3; c++) {
            Arrays.fill(flat, c * SIDE * SIDE, (c + 1) * SIDE * SIDE, (byte) (40 + 100 * c));
        }
        ImageTranslation.translateInto(flat, 0, out, 0, true, -8, 8);
        assertArrayEquals(flat, out);
        // no move is a copy
        ImageTranslation.translateInto(src, 0, out, 0, false, 0, 0);
        assertArrayEquals(src, out);
    }

    @Test
    void withTheFlipItIsFlipThenMove() {
        byte[] src = coded();
        byte[] flipped = new byte[IMAGE];
        TrainFixtures.flipInto(src, 0, flipped, 0);
        for (int dx = -3; dx <= 3; dx++) {
            for (int dy = -2; dy <= 2; dy++) {
                byte[] both = new byte[IMAGE];
                byte[] twoSteps = new byte[IMAGE];
                ImageTranslation.translateInto(src, 0, both, 0, true, dx, dy);
                ImageTranslation.translateInto(flipped, 0, twoSteps, 0, false, dx, dy);
                assertArrayEquals(twoSteps, both, "dx " + dx + ", dy " + dy);
            }
        }
        byte[] out = new byte[IMAGE];
        ImageTranslation.translateInto(src, 0, out, 0, true, 0, 0);
        assertArrayEquals(flipped, out, "no move: the flip alone");
    }

    @Test
    void vectorTranslationEqualsItsScalarTwinForEveryMove() {
        assertEquals(ImageTranslation.MAX_SHIFT, VectorTranslation.MAX_SHIFT);
        SplittableRandom random = new SplittableRandom(5);
        byte[] src = new byte[2 * IMAGE + 13];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) random.nextInt(256);
        }
        int m = ImageTranslation.MAX_SHIFT;
        for (int offset : new int[] {0, 13, IMAGE + 13}) {
            for (boolean flip : new boolean[] {false, true}) {
                for (int dx = -m; dx <= m; dx++) {
                    for (int dy = -m; dy <= m; dy++) {
                        byte[] scalar = new byte[IMAGE + 7];
                        byte[] vector = new byte[IMAGE + 7];
                        ImageTranslation.translateInto(src, offset, scalar, 7, flip, dx, dy);
                        VectorTranslation.translateInto(src, offset, vector, 7, flip, dx, dy);
                        assertArrayEquals(scalar, vector, "offset " + offset + ", flip " + flip + ", dx " + dx
                                + ", dy " + dy);
                    }
                }
            }
        }
    }

    @Test
    void aMovedStepEqualsAPlainStepOnRawMovedImages() {
        DataSet set = TrainFixtures.synthetic(40, 11);
        boolean[] flip = new boolean[set.size()];
        byte[] moves = new byte[2 * set.size()];
        byte[] movedPixels = set.pixels().clone();
        for (int i = 0; i < set.size(); i++) {
            flip[i] = i % 3 == 0;
            moves[2 * i] = (byte) (i % 5 - 2);
            moves[2 * i + 1] = (byte) (i % 3 - 1);
            ImageTranslation.translateInto(set.pixels(), i * IMAGE, movedPixels, i * IMAGE, flip[i], moves[2 * i],
                    moves[2 * i + 1]);
        }
        DataSet moved = new DataSet("moved", movedPixels, set.labels(), set.dim(), set.scale(), set.shift());
        int[] rows = {7, 3, 34, 0, 19, 21, 8, 30, 31, 2, 39, 5, 12};
        for (Kernels kernels : new Kernels[] {KernelProvider.vector(), KernelProvider.scalar()}) {
            SoftmaxModel init = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(5).init(), false);
            try (WorkerPool pool = new WorkerPool(2)) {
                SgdStep step = new SgdStep(kernels, pool, 10, set.dim(), 16);
                SoftmaxModel a = init.copy();
                double lossA = step.step(a, set, rows, 1, 11, 0.01, 0.1, flip, moves);
                SoftmaxModel b = init.copy();
                double lossB = step.step(b, moved, rows, 1, 11, 0.01, 0.1);
                assertEquals(lossB, lossA, kernels.description());
                assertArrayEquals(b.weights(), a.weights(), kernels.description());
                assertArrayEquals(b.bias(), a.bias(), kernels.description());
                // all moves zero and no flips: the plain step
                SoftmaxModel c = init.copy();
                step.step(c, set, rows, 1, 11, 0.01, 0.1, null, new byte[moves.length]);
                SoftmaxModel d = init.copy();
                step.step(d, set, rows, 1, 11, 0.01, 0.1);
                assertArrayEquals(d.weights(), c.weights(), kernels.description());
            }
        }
    }

    @Test
    void movedStepsAllocateNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DataSet set = TrainFixtures.synthetic(64, 3);
        int[] rows = IntStream.range(0, set.size()).toArray();
        boolean[] flip = new boolean[set.size()];
        byte[] moves = new byte[2 * set.size()];
        for (int i = 0; i < set.size(); i++) {
            flip[i] = i % 2 == 0;
            moves[2 * i] = (byte) (i % 3 - 1);
            moves[2 * i + 1] = (byte) (i % 5 - 2);
        }
        SoftmaxModel model = SoftmaxModel.gaussian(10, set.dim(), new RandomStreams(1).init(), false);
        try (WorkerPool pool = new WorkerPool(2)) {
            SgdStep step = new SgdStep(KernelProvider.scalar(), pool, 10, set.dim(), 16);
            for (int i = 0; i < 20; i++) {
                step.step(model, set, rows, (i % 4) * 16, 16, 1e-3, 0.1, flip, moves);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                step.step(model, set, rows, (i % 4) * 16, 16, 1e-3, 0.1, flip, moves);
            }
            long bytes = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(bytes < 50 * 8, "50 moved steps allocated " + bytes + " bytes on the calling thread");
        }
    }

    @Test
    void trainerDrawsMovesFromTheTranslationStreamAndKeepsTheFlips() {
        // 30 images, batches of 10 in order, 2 epochs, flips and moves of up to 2: replayed by hand
        DataSet train = TrainFixtures.synthetic(30, 1);
        DataSet val = TrainFixtures.synthetic(20, 2);
        TrainConfig config = new TrainConfig(0.01, 0.02, 10, 2, 9, false, false)
                .withExtras(true, LearningRateSchedule.CONSTANT, false, 0).withTranslate(2);
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(9).init(), false);
        SoftmaxModel manual = init.copy();
        TrainResult r;
        int[] counts = new int[5];
        try (WorkerPool pool = new WorkerPool(1)) {
            r = new Trainer(KernelProvider.vector(), pool).train(config, init, train, val, null, EpochListener.NONE);
            SgdStep step = new SgdStep(KernelProvider.vector(), pool, 10, train.dim(), 10);
            SplittableRandom flips = new RandomStreams(9).augmentation();
            SplittableRandom shifts = new RandomStreams(9).translation();
            int[] order = IntStream.range(0, 30).toArray();
            boolean[] flipped = new boolean[30];
            byte[] moves = new byte[60];
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int i = 0; i < 30; i++) {
                    flipped[i] = flips.nextBoolean();
                }
                for (int i = 0; i < 60; i++) {
                    moves[i] = (byte) (shifts.nextInt(5) - 2);
                    counts[moves[i] + 2]++;
                }
                for (int from = 0; from < 30; from += 10) {
                    step.step(manual, train, order, from, 10, 0.02, 0.01, flipped, moves);
                }
            }
        }
        assertArrayEquals(manual.weights(), r.model().weights());
        for (int c : counts) {
            assertTrue(c > 0, "every shift in -2..2 drawn: " + Arrays.toString(counts));
        }
        TrainResult flipsOnly;
        try (WorkerPool pool = new WorkerPool(1)) {
            flipsOnly = new Trainer(KernelProvider.vector(), pool).train(config.withTranslate(0), init, train, val,
                    null, EpochListener.NONE);
        }
        assertFalse(Arrays.equals(flipsOnly.model().weights(), r.model().weights()), "moves change the training");
        assertTrue(config.label().contains(", flips, shifts ±2"), config.label());
    }

    @Test
    void translateIsValidated() {
        TrainConfig base = new TrainConfig(0, 0.01, 10, 5, 1, false, false);
        assertEquals(8, base.withTranslate(8).translate());
        assertTrue(assertThrows(InputException.class, () -> base.withTranslate(9)).getMessage()
                .startsWith("translate "));
        assertTrue(assertThrows(InputException.class, () -> base.withTranslate(-1)).getMessage()
                .startsWith("translate "));
    }
}
