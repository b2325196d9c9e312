package org.vectrain.engine.compare;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;
import org.vectrain.engine.train.RunFiles;
import org.vectrain.engine.train.TwoLayerRunFiles;
import org.vectrain.engine.model.TwoLayerModel;
import java.util.Arrays;
import org.vectrain.engine.train.RunSummary;
import org.vectrain.engine.train.TrainConfig;

/**
 * What a comparison reads from one run folder: the per-epoch figures of its {@code summary.json} and, when
 * the folder has them, its final weights: {@code W.npy}, or for the two-layer network {@code W1.npy} and
 * {@code W2.npy}, compared as one array.
 *
 * @param folder where the run was read from
 * @param label the setting as the summary labels it (for messages and plots)
 * @param kernels the vector species the run used, as its summary records it ("?" when absent)
 * @param figures per-epoch values, {@code figures.get(set).get(figure)[epoch - 1]}; non-finite for a diverged epoch
 * @param weights the final W (K x D row-major), or W1 (m x D) followed by W2 (K x m), or null when the folder has
 *     neither
 * @param weightShape the shape of {@code weights}: (K, D), or (m, D, K) for the two layers; or null
 */
public record RunRecord(Path folder, String label, String kernels, Map<EvalSet, Map<Figure, double[]>> figures,
        float[] weights, int[] weightShape) {

    /** The two sets a summary records per epoch, with their key in {@code summary.json}. */
    public enum EvalSet {
        TRAIN("train", "training"), VAL("val", "validation");

        private final String key;
        private final String title;

        EvalSet(String key, String title) {
            this.key = key;
            this.title = title;
        }

        /** The key in {@code summary.json}. */
        public String key() {
            return key;
        }

        /** How messages and tables name it. */
        public String title() {
            return title;
        }
    }

    /** The figures a summary records per set and epoch. */
    public enum Figure {
        LOSS("loss"), COST("cost"), ACCURACY("accuracy");

        private final String key;

        Figure(String key) {
            this.key = key;
        }

        /** The key in {@code summary.json}, also how messages name it. */
        public String key() {
            return key;
        }
    }

    /** Epochs the summary records. */
    public int epochs() {
        return figures.get(EvalSet.TRAIN).get(Figure.LOSS).length;
    }

    /** The values of one figure on one set, one per epoch (not a copy). */
    public double[] values(EvalSet set, Figure figure) {
        return figures.get(set).get(figure);
    }

    /**
     * Reads {@code folder}. Errors are {@link InputException}s naming {@code what} (e.g. {@code RUN_A}) and
     * the file: a missing folder or summary, a summary of another format, missing or non-numeric figures.
     */
    public static RunRecord read(Path folder, String what) {
        return read(folder, what, MAX_SUMMARY_BYTES);
    }

    /**
     * Largest summary read: the history takes a few hundred bytes an epoch, so even a run of the most epochs
     * the trainer allows ({@link TrainConfig#MAX_EPOCHS}) stays below it.
     */
    public static final long MAX_SUMMARY_BYTES = 64L << 20;
    /** Most values of a final W read: the model the engine trains. */
    static final long MAX_WEIGHTS = (long) LabeledImages.CLASSES * LabeledImages.PIXELS;
    /** Most values of a final W1 read: the widest two-layer network the engine trains. */
    static final long MAX_FIRST_LAYER = (long) TwoLayerModel.MAX_HIDDEN * LabeledImages.PIXELS;

    /** As {@link #read(Path, String)}, with a summary of at most {@code maxSummaryBytes}. */
    static RunRecord read(Path folder, String what, long maxSummaryBytes) {
        if (!Files.isDirectory(folder)) {
            throw new InputException(what + " " + folder + ": not a folder (expected a run folder with "
                    + RunFiles.SUMMARY + ")");
        }
        Path summaryFile = folder.resolve(RunFiles.SUMMARY);
        if (!Files.isRegularFile(summaryFile)) {
            throw new InputException(what + " " + summaryFile + ": file not found (an incomplete run, or not a run "
                    + "folder)");
        }
        JsonNode summary;
        try {
            summary = JsonFiles.readTree(summaryFile, maxSummaryBytes);
        } catch (InputException e) {
            throw new InputException(what + " " + e.getMessage(), e);
        }
        JsonNode format = summary.path("format");
        if (!format.isInt() || format.intValue() != RunSummary.FORMAT_VERSION) {
            throw new InputException(what + " " + summaryFile + ": format " + format + ", expected "
                    + RunSummary.FORMAT_VERSION);
        }
        JsonNode history = summary.path("history");
        if (!history.isArray() || history.isEmpty()) {
            throw new InputException(what + " " + summaryFile + ": no per-epoch history");
        }
        int epochs = history.size();
        Map<EvalSet, Map<Figure, double[]>> figures = new EnumMap<>(EvalSet.class);
        for (EvalSet set : EvalSet.values()) {
            Map<Figure, double[]> perFigure = new EnumMap<>(Figure.class);
            for (Figure figure : Figure.values()) {
                perFigure.put(figure, new double[epochs]);
            }
            figures.put(set, perFigure);
        }
        for (int e = 0; e < epochs; e++) {
            JsonNode record = history.get(e);
            if (record.path("epoch").asInt(-1) != e + 1) {
                throw new InputException(what + " " + summaryFile + ": history entry " + (e + 1) + " is epoch "
                        + record.path("epoch") + ", expected " + (e + 1));
            }
            for (EvalSet set : EvalSet.values()) {
                for (Figure figure : Figure.values()) {
                    figures.get(set).get(figure)[e] = number(record.path(set.key()).path(figure.key()),
                            what + " " + summaryFile + ": history[" + e + "]." + set.key() + "." + figure.key());
                }
            }
        }
        float[] weights = null;
        int[] shape = null;
        Path wFile = folder.resolve(RunFiles.WEIGHTS);
        Path w1File = folder.resolve(TwoLayerRunFiles.W1);
        Path w2File = folder.resolve(TwoLayerRunFiles.W2);
        try {
            if (Files.exists(wFile)) {
                Npy.FloatArray w = Npy.read(wFile, MAX_WEIGHTS);
                weights = w.data();
                shape = w.shape();
            } else if (Files.exists(w1File) && Files.exists(w2File)) {
                Npy.FloatArray w1 = Npy.read(w1File, MAX_FIRST_LAYER);
                Npy.FloatArray w2 = Npy.read(w2File, (long) LabeledImages.CLASSES * TwoLayerModel.MAX_HIDDEN);
                if (w1.shape().length != 2 || w2.shape().length != 2 || w1.shape()[0] != w2.shape()[1]) {
                    throw new InputException(w2File + ": shape " + Arrays.toString(w2.shape()) + " does not follow "
                            + w1File.getFileName() + "'s " + Arrays.toString(w1.shape()));
                }
                weights = Arrays.copyOf(w1.data(), w1.data().length + w2.data().length);
                System.arraycopy(w2.data(), 0, weights, w1.data().length, w2.data().length);
                shape = new int[] {w1.shape()[0], w1.shape()[1], w2.shape()[0]};
            }
        } catch (InputException e) {
            throw new InputException(what + " " + e.getMessage(), e);
        }
        return new RunRecord(folder, summary.path("config").path("label").asText("?"),
                summary.path("environment").path("vector_species").asText("?"), figures, weights, shape);
    }

    /** A finite number, or one of the strings "NaN", "Infinity", "-Infinity" that a diverged run writes. */
    private static double number(JsonNode node, String where) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            switch (node.textValue()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw new InputException(where + ": " + (node.isMissingNode() ? "missing" : node + " is not a number"));
    }
}
