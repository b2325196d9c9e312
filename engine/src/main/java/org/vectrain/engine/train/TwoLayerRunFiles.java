package org.vectrain.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.model.ModelFiles;
import org.vectrain.engine.model.TwoLayerModel;

/**
 * The data files of a two-layer run folder, as {@link RunFiles} writes a one-layer run's: {@code W1.npy},
 * {@code b1.npy}, {@code W2.npy}, {@code b2.npy} (float32, shapes (m, D), (m, 1), (K, m), (K, 1)), the same under
 * {@code init/}, the normalisation ({@code mean.npy}, {@code std.npy}, float64, D entries) and {@code model.json}
 * ({@link ModelFiles#writeTwoLayer}: the folder stands alone as a model), {@code history.csv},
 * {@code confusion.csv} (test set, when measured), and {@code summary.json} last. Every file is written atomically.
 */
public final class TwoLayerRunFiles {
    public static final String W1 = ModelFiles.W1;
    public static final String B1 = ModelFiles.B1;
    public static final String W2 = ModelFiles.W2;
    public static final String B2 = ModelFiles.B2;

    private TwoLayerRunFiles() {
    }

    /** Writes the run's files, then its summary; the confusion matrix's rows and columns named by {@code classNames}. */
    public static void write(Path folder, TwoLayerResult result, ObjectNode summary, List<String> classNames,
            Normalization normalization) {
        writeModel(folder.resolve(RunFiles.INIT_DIR), result.initial());
        JsonNode config = summary.path("config");
        ModelFiles.writeTwoLayer(folder, result.model(), normalization, classNames, config.path("loss")
                .asText("softmax"), result.modelEpoch(), config);
        AtomicFiles.writeString(folder.resolve(RunFiles.HISTORY), RunSummary.historyCsv(result));
        if (result.testConfusion() != null) {
            AtomicFiles.writeString(folder.resolve(RunFiles.CONFUSION), result.testConfusion().toCsv(classNames));
        }
        JsonFiles.write(folder.resolve(RunFiles.SUMMARY), summary);
    }

    /**
     * A network of {@code hidden} units from W1, b1, W2 and b2 in {@code folder} (float32, shapes (m, D), (m, 1) or
     * (m,), (K, m), (K, 1) or (K,), every value finite), W1's rows D long; files that are missing, larger than
     * those shapes, of another shape or not finite are refused with an {@link InputException} that names
     * {@code flag} and the file.
     */
    public static TwoLayerModel readModel(Path folder, int classes, int dim, int hidden, String flag) {
        if (folder.toString().isEmpty()) {
            throw new InputException(flag + ": the path is empty");
        }
        if (!Files.isDirectory(folder)) {
            throw new InputException(flag + " " + folder + ": not a folder (expected one holding " + W1 + ", " + B1
                    + ", " + W2 + " and " + B2 + ")");
        }
        float[] w1 = read(folder.resolve(W1), hidden, dim, flag);
        float[] b1 = read(folder.resolve(B1), hidden, 1, flag);
        float[] w2 = read(folder.resolve(W2), classes, hidden, flag);
        float[] b2 = read(folder.resolve(B2), classes, 1, flag);
        return new TwoLayerModel(classes, dim, hidden, dim, w1, b1, w2, b2);
    }

    /** {@link ModelFiles#readFinite} of {@code file}, a missing file refused by {@code flag} too. */
    private static float[] read(Path file, int rows, int cols, String flag) {
        if (!Files.isRegularFile(file)) {
            throw new InputException(flag + " " + file + ": no such file");
        }
        return ModelFiles.readFinite(file, rows, cols, flag + " ", ", expected ");
    }

    /** W1, b1, W2 and b2 of {@code model} into {@code folder} (created if needed), W1 as m x D. */
    public static void writeModel(Path folder, TwoLayerModel model) {
        ModelFiles.writeTwoLayerWeights(folder, model);
    }
}
