package org.vectrain.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;
import org.vectrain.engine.model.ModelFiles;
import org.vectrain.engine.model.SoftmaxModel;

/**
 * The data files of a run folder: {@code W.npy}, {@code b.npy} (float32, shapes (K, D) and (K, 1)),
 * the same under {@code init/}, with the normalisation {@code mean.npy}, {@code std.npy} and {@code model.json}
 * when the run knows it ({@link ModelFiles}), {@code history.csv}, {@code confusion.csv} (test set, when measured), and
 * {@code summary.json} written last, so that a
 * folder with a summary is a complete run. Every file is written atomically.
 */
public final class RunFiles {
    public static final String SUMMARY = "summary.json";
    public static final String HISTORY = "history.csv";
    public static final String WEIGHTS = "W.npy";
    public static final String BIAS = "b.npy";
    public static final String INIT_DIR = "init";
    public static final String CONFUSION = "confusion.csv";

    private RunFiles() {
    }

    /** Writes everything but the summary, then the summary; the confusion matrix names classes 0..K-1. */
    public static void write(Path folder, TrainResult result, ObjectNode summary) {
        java.util.List<String> numbers = new java.util.ArrayList<>();
        for (int k = 0; k < result.model().classes(); k++) {
            numbers.add(Integer.toString(k));
        }
        write(folder, result, summary, numbers);
    }

    /**
     * Writes everything but the summary ({@code confusion.csv} too when the run has one, its rows and
     * columns named by {@code classNames}), then the summary.
     */
    public static void write(Path folder, TrainResult result, ObjectNode summary, java.util.List<String> classNames) {
        write(folder, result, summary, classNames, null);
    }

    /**
     * As {@link #write(Path, TrainResult, ObjectNode, java.util.List)}, and with {@code normalization} not null
     * the folder stands alone as a model ({@link ModelFiles}): {@code mean.npy}, {@code std.npy} and
     * {@code model.json} beside W and b, the card holding the summary's {@code config}.
     */
    public static void write(Path folder, TrainResult result, ObjectNode summary, java.util.List<String> classNames,
            Normalization normalization) {
        writeModel(folder.resolve(INIT_DIR), result.initial());
        if (normalization != null) {
            JsonNode config = summary.path("config");
            ModelFiles.write(folder, result.model(), normalization, classNames, config.path("loss").asText("softmax"),
                    result.modelEpoch(), config);
        } else {
            writeModel(folder, result.model());
        }
        AtomicFiles.writeString(folder.resolve(HISTORY), RunSummary.historyCsv(result));
        if (result.testConfusion() != null) {
            AtomicFiles.writeString(folder.resolve(CONFUSION), result.testConfusion().toCsv(classNames));
        }
        JsonFiles.write(folder.resolve(SUMMARY), summary);
    }

    /** W.npy and b.npy of {@code model} into {@code folder} (created if needed). */
    public static void writeModel(Path folder, SoftmaxModel model) {
        AtomicFiles.ensureWritableDirectory(folder, "output folder");
        Npy.write(folder.resolve(WEIGHTS), model.weights(), model.classes(), model.dim());
        Npy.write(folder.resolve(BIAS), model.bias(), model.classes(), 1);
    }

    /**
     * Reads W.npy and b.npy from {@code folder}, checking that they are float arrays of shapes
     * (classes, dim) and (classes, 1) or (classes,). Errors name {@code flag} and the file.
     */
    public static SoftmaxModel readModel(Path folder, int classes, int dim, String flag) {
        if (folder.toString().isEmpty()) {
            throw new InputException(flag + ": the path is empty");
        }
        if (!Files.isDirectory(folder)) {
            throw new InputException(flag + " " + folder + ": not a folder (expected one holding W.npy and b.npy)");
        }
        // Files larger than the expected shapes need are refused before they are read.
        Npy.FloatArray w = Npy.read(folder.resolve(WEIGHTS), (long) classes * dim);
        Npy.FloatArray b = Npy.read(folder.resolve(BIAS), classes);
        if (!Arrays.equals(w.shape(), new int[] {classes, dim})) {
            throw new InputException(flag + " " + folder.resolve(WEIGHTS) + ": shape " + Arrays.toString(w.shape())
                    + ", expected [" + classes + ", " + dim + "]");
        }
        if (!Arrays.equals(b.shape(), new int[] {classes, 1}) && !Arrays.equals(b.shape(), new int[] {classes})) {
            throw new InputException(flag + " " + folder.resolve(BIAS) + ": shape " + Arrays.toString(b.shape())
                    + ", expected [" + classes + ", 1] or [" + classes + "]");
        }
        for (float v : w.data()) {
            if (!Float.isFinite(v)) {
                throw new InputException(flag + " " + folder.resolve(WEIGHTS) + ": holds NaN or infinite values");
            }
        }
        for (float v : b.data()) {
            if (!Float.isFinite(v)) {
                throw new InputException(flag + " " + folder.resolve(BIAS) + ": holds NaN or infinite values");
            }
        }
        return new SoftmaxModel(classes, dim, w.data(), b.data());
    }
}
