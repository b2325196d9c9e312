package org.vectrain.engine.golden;

import java.nio.file.Path;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.CifarSources;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.train.RandomStreams;

/**
 * The small real problem of the golden runs, loaded once per test JVM: the first {@value #TRAIN} images of
 * {@code data_batch_1} train, the first {@value #VALIDATION} of {@code data_batch_2} validate. The float path
 * gets them as {@link DataSet}s normalised by the engine ({@link Normalization}); the double reference gets
 * its own features, computed from the pixel bytes by {@link GoldenReference}.
 */
final class GoldenData {
    static final int TRAIN = 2000;
    static final int VALIDATION = 1000;
    /** The training settings of every golden run: batches in order, η, epochs, and the seed of the initial W. */
    static final double ETA = 0.01;
    static final int BATCH = 100;
    static final int EPOCHS = 3;
    static final long SEED = 8;
    static final String DESCRIPTION = "train: data_batch_1 images 0..1999; validation: data_batch_2 images 0..999; "
            + "features (p/255 - mean)/std per dimension, mean and std (ddof 0) of the 2,000 training images";

    private static GoldenData loaded;

    final LabeledImages trainImages;
    final LabeledImages validationImages;
    final DataSet train;
    final DataSet validation;
    final GoldenReference reference = new GoldenReference(LabeledImages.CLASSES, LabeledImages.PIXELS);
    private double[] xTrain;
    private double[] xValidation;
    final int[] yTrain;
    final int[] yValidation;

    private GoldenData(Path folder) {
        CifarSource source = CifarSources.open(folder);
        trainImages = source.read("data_batch_1").slice(0, TRAIN, "data_batch_1[0:2000]");
        validationImages = source.read("data_batch_2").slice(0, VALIDATION, "data_batch_2[0:1000]");
        Normalization normalization = Normalization.fit(trainImages);
        train = DataSet.of("train", trainImages, normalization);
        validation = DataSet.of("validation", validationImages, normalization);
        yTrain = train.labels();
        yValidation = validation.labels();
    }

    /** The reference's own features of the training images (n x D, double), computed on first use. */
    synchronized double[] xTrain() {
        if (xTrain == null) {
            double[][] statistics = reference.statistics(trainImages.pixels(), TRAIN);
            xTrain = reference.features(trainImages.pixels(), TRAIN, statistics);
            xValidation = reference.features(validationImages.pixels(), VALIDATION, statistics);
        }
        return xTrain;
    }

    /** The reference's features of the validation images, normalised by the training statistics. */
    synchronized double[] xValidation() {
        xTrain();
        return xValidation;
    }

    /** The data, or a visible skip when the real CIFAR-10 is absent. */
    static synchronized GoldenData get() {
        Path folder = CifarFixtures.realData();
        if (loaded == null) {
            loaded = new GoldenData(folder);
        }
        return loaded;
    }

    /** The seeded initial model both paths start from (the engine's N(0, 0.01^2) draw, in float). */
    static SoftmaxModel initial(long seed) {
        return SoftmaxModel.gaussian(LabeledImages.CLASSES, LabeledImages.PIXELS, new RandomStreams(seed).init(),
                false);
    }

    static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
