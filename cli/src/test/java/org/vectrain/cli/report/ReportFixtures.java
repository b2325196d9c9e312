package org.vectrain.cli.report;

import java.util.List;
import java.util.SplittableRandom;

/** A synthetic W with recognisable class images, the CIFAR-10 class names, and a plausible run's curves. */
final class ReportFixtures {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");
    private static final int R = 0;
    private static final int G = 1;
    private static final int B = 2;

    private ReportFixtures() {
    }

    /**
     * Class 0: red grows left to right. Class 1: blue grows top to bottom. Class 2: one green pixel
     * near the top-right corner. Class 3: constant. Class 4: a NaN at the top-left pixel. Class 5:
     * negative weights. Others random.
     */
    static float[] syntheticW() {
        float[] w = new float[10 * WeightMontage.ROW];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                set(w, 0, R, y, x, x / 31f);
                set(w, 1, B, y, x, y / 31f);
                set(w, 3, R, y, x, 0.25f);
                set(w, 3, G, y, x, 0.25f);
                set(w, 3, B, y, x, 0.25f);
                set(w, 4, G, y, x, (x + y) / 62f);
                set(w, 5, R, y, x, -1f);
                set(w, 5, G, y, x, 1f);
                set(w, 5, B, y, x, -1f);
            }
        }
        set(w, 2, G, 2, 29, 0.01f);
        set(w, 4, R, 0, 0, Float.NaN);
        set(w, 5, B, 31, 0, 3f);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 6 * WeightMontage.ROW; i < w.length; i++) {
            w[i] = (float) random.nextGaussian() * 0.01f;
        }
        return w;
    }

    /** A plausible run: loss falls, accuracy rises, validation a little worse than training. */
    static TrainingCurves run(int firstEpoch, int points) {
        double[] trainLoss = new double[points];
        double[] validationLoss = new double[points];
        double[] trainCost = new double[points];
        double[] validationCost = new double[points];
        double[] trainAccuracy = new double[points];
        double[] validationAccuracy = new double[points];
        for (int i = 0; i < points; i++) {
            double progress = 1 - Math.exp(-i / 8.0);
            trainLoss[i] = 2.35 - 0.65 * progress;
            validationLoss[i] = 2.35 - 0.55 * progress;
            trainCost[i] = trainLoss[i] + 0.15 + 0.1 * progress;
            validationCost[i] = validationLoss[i] + 0.15 + 0.1 * progress;
            trainAccuracy[i] = 0.1 + 0.32 * progress;
            validationAccuracy[i] = 0.1 + 0.28 * progress;
        }
        return new TrainingCurves(CurvePlots.setting(0.1, 100, 0.001, 40), firstEpoch,
                trainLoss, validationLoss, trainCost, validationCost, trainAccuracy, validationAccuracy);
    }

    private static void set(float[] w, int k, int channel, int y, int x, float value) {
        w[k * WeightMontage.ROW + channel * WeightMontage.PLANE + y * 32 + x] = value;
    }
}
