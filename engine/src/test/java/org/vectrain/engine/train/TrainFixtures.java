package org.vectrain.engine.train;

import java.util.List;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.kernels.scalar.ImageTranslation;

/** Synthetic data sets of the real image shape, a run's figures without its times, and the scalar flip. */
final class TrainFixtures {
    static final int DIM = 3072;

    private TrainFixtures() {
    }

    static DataSet synthetic(int n, long seed) {
        return SyntheticData.of("synthetic", n, DIM, 10, seed);
    }

    /** The history without its wall-clock times. */
    static List<Object> figures(TrainResult r) {
        return r.history().stream().<Object>map(e -> List.of(e.eta(), e.train(), e.validation())).toList();
    }

    /** The flip the training step does: the move (0, 0) of a flipped image, scalar. */
    static void flipInto(byte[] src, int srcOffset, byte[] dst, int dstOffset) {
        ImageTranslation.translateInto(src, srcOffset, dst, dstOffset, true, 0, 0);
    }
}
