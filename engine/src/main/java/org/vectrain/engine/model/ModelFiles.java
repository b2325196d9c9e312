package org.vectrain.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;

/**
 * A model folder that stands alone: {@code W.npy} (float32, K x D), {@code b.npy} (float32, K x 1),
 * {@code mean.npy} and {@code std.npy} (float64, D each: the training set's per-dimension mean and population
 * standard deviation of {@code pixel / 255}) and {@code model.json}, which says what the weights expect:
 * <pre>{@code x = (pixels / 255 - mean) / std;  s = W @ x + b[:, 0];  predicted class = argmax(s)}</pre>
 * where {@code pixels} is one image of 3072 uint8 values in CIFAR-10 record order (the 1024 red values, then
 * the green, then the blue, each plane row by row, top to bottom). {@code model.json} holds the format
 * version, K, D, the class names, the loss (softmax, svm or bce: what the scores mean), these formulas, the
 * epoch whose weights these are and the training configuration.
 *
 * <p>{@link #read} checks every file against the others and names the file at fault.
 */
public final class ModelFiles {
    public static final String CARD = "model.json";
    public static final String WEIGHTS = "W.npy";
    public static final String BIAS = "b.npy";
    public static final String MEAN = "mean.npy";
    public static final String STD = "std.npy";
    /** The two-layer network's files: W1 (m x D), b1 (m x 1), W2 (K x m), b2 (K x 1), float32. */
    public static final String W1 = "W1.npy";
    public static final String B1 = "b1.npy";
    public static final String W2 = "W2.npy";
    public static final String B2 = "b2.npy";
    /** The card's {@code kind} of each model. */
    public static final String LINEAR_KIND = "linear classifier";
    public static final String TWO_LAYER_KIND = "two-layer network";
    /** Bumped when a field of {@code model.json} changes meaning; {@link #read} refuses newer ones. */
    public static final int FORMAT_VERSION = 1;
    /** The pixel order the weights expect, for the card. */
    public static final String PIXEL_ORDER = "CIFAR-10 record order: 1024 red values, then 1024 green, then 1024 "
            + "blue, each plane row by row from the top-left pixel (numpy: image_hwc.transpose(2, 0, 1).reshape(3072))";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelFiles() {
    }

    /**
     * A model read from its folder.
     *
     * @param model W and b of a linear classifier; null for a two-layer network
     * @param network the two-layer network (W1's rows D long); null for a linear classifier
     * @param normalization the features' mean and std, in the pixel / 255 scale
     * @param classNames K names, index = class
     * @param loss "softmax", "svm" or "bce"
     * @param lambda the L2 strength it was trained with (the cost figures use it)
     * @param card the whole {@code model.json}
     */
    public record TrainedModel(SoftmaxModel model, TwoLayerModel network, Normalization normalization,
            List<String> classNames, String loss, double lambda, JsonNode card) {

        /** K, the classes of whichever model this is. */
        public int classes() {
            return model != null ? model.classes() : network.classes();
        }

        /** D, the dimensions of whichever model this is. */
        public int dim() {
            return model != null ? model.dim() : network.dim();
        }
    }

    /**
     * Writes W, b, mean, std and {@code model.json} into {@code folder} (created if needed), each atomically,
     * the card last.
     *
     * @param loss the loss id ("softmax", "svm", "bce")
     * @param epoch the epoch whose weights these are
     * @param training the training configuration, as {@code summary.json} records it
     */
    public static void write(Path folder, SoftmaxModel model, Normalization normalization, List<String> classNames,
            String loss, int epoch, JsonNode training) {
        AtomicFiles.ensureWritableDirectory(folder, "model folder");
        int d = model.dim();
        if (normalization.mean().length != d || classNames.size() != model.classes()) {
            throw new IllegalArgumentException("normalisation of " + normalization.mean().length + " dimensions and "
                    + classNames.size() + " class names for a model of " + model.classes() + " x " + d);
        }
        Npy.write(folder.resolve(WEIGHTS), model.weights(), model.classes(), d);
        Npy.write(folder.resolve(BIAS), model.bias(), model.classes(), 1);
        Npy.writeDoubles(folder.resolve(MEAN), normalization.mean(), d);
        Npy.writeDoubles(folder.resolve(STD), normalization.std(), d);
        JsonFiles.write(folder.resolve(CARD), card(model, classNames, loss, epoch, training));
    }

    /**
     * Writes the two-layer network's W1, b1, W2, b2, the normalisation and {@code model.json} into {@code folder}
     * (created if needed), each atomically, the card last; as {@link #write} for a linear classifier.
     */
    public static void writeTwoLayer(Path folder, TwoLayerModel network, Normalization normalization,
            List<String> classNames, String loss, int epoch, JsonNode training) {
        AtomicFiles.ensureWritableDirectory(folder, "model folder");
        int d = network.dim();
        if (normalization.mean().length != d || classNames.size() != network.classes()) {
            throw new IllegalArgumentException("normalisation of " + normalization.mean().length + " dimensions and "
                    + classNames.size() + " class names for a network of " + network.classes() + " x " + d);
        }
        writeTwoLayerWeights(folder, network);
        Npy.writeDoubles(folder.resolve(MEAN), normalization.mean(), d);
        Npy.writeDoubles(folder.resolve(STD), normalization.std(), d);
        ObjectNode card = cardStart(TWO_LAYER_KIND, network.classes(), d, classNames, loss);
        card.put("hidden", network.hidden());
        ObjectNode input = (ObjectNode) card.get("input");
        input.put("hidden", "h = max(0, W1 @ x + b1[:, 0]), with W1.npy (float32, " + network.hidden() + " x " + d
                + ") and b1.npy (float32, " + network.hidden() + " x 1)");
        input.put("scores", "s = W2 @ h + b2[:, 0], with W2.npy (float32, " + network.classes() + " x "
                + network.hidden() + ") and b2.npy (float32, " + network.classes() + " x 1)");
        ObjectNode files = cardOutputs(card, loss);
        files.put("w1", W1);
        files.put("b1", B1);
        files.put("w2", W2);
        files.put("b2", B2);
        cardEnd(card, files, epoch, training);
        JsonFiles.write(folder.resolve(CARD), card);
    }

    /** W1 (as m x D rows), b1, W2 and b2 of {@code network} into {@code folder} (created if needed). */
    public static void writeTwoLayerWeights(Path folder, TwoLayerModel network) {
        AtomicFiles.ensureWritableDirectory(folder, "output folder");
        Npy.write(folder.resolve(W1), network.w1Rows(), network.hidden(), network.dim());
        Npy.write(folder.resolve(B1), network.b1(), network.hidden(), 1);
        Npy.write(folder.resolve(W2), network.w2(), network.classes(), network.hidden());
        Npy.write(folder.resolve(B2), network.b2(), network.classes(), 1);
    }

    static ObjectNode card(SoftmaxModel model, List<String> classNames, String loss, int epoch, JsonNode training) {
        ObjectNode card = cardStart(LINEAR_KIND, model.classes(), model.dim(), classNames, loss);
        ((ObjectNode) card.get("input")).put("scores", "s = W @ x + b[:, 0], with W.npy (float32, " + model.classes()
                + " x " + model.dim() + ") and b.npy (float32, " + model.classes() + " x 1)");
        ObjectNode files = cardOutputs(card, loss);
        files.put("weights", WEIGHTS);
        files.put("bias", BIAS);
        cardEnd(card, files, epoch, training);
        return card;
    }

    /** A card's fields up to its input's features: what every kind of model says alike. */
    private static ObjectNode cardStart(String kind, int classes, int dim, List<String> classNames, String loss) {
        ObjectNode card = MAPPER.createObjectNode();
        card.put("format", FORMAT_VERSION);
        card.put("kind", kind);
        card.put("classes", classes);
        card.put("dim", dim);
        ArrayNode names = card.putArray("class_names");
        classNames.forEach(names::add);
        card.put("loss", loss);
        ObjectNode input = card.putObject("input");
        input.put("pixels", "uint8, 0..255, " + dim + " per image");
        input.put("pixel_order", PIXEL_ORDER);
        input.put("image_size", "32 x 32, RGB");
        input.put("features", "x = (pixels / 255 - mean) / std, with mean.npy and std.npy (float64, " + dim
                + " each, in the pixel / 255 scale: the training set's per-dimension mean and population std)");
        return card;
    }

    /** The input's prediction and probabilities, after its scores; returns the card's files, still without mean and std. */
    private static ObjectNode cardOutputs(ObjectNode card, String loss) {
        ObjectNode input = (ObjectNode) card.get("input");
        input.put("prediction", "argmax(s)");
        input.put("probabilities", switch (loss) {
            case "softmax" -> "softmax(s)";
            case "bce" -> "sigmoid(s), one independent probability per class";
            default -> "none: the multi-class SVM's scores are margins, not probabilities";
        });
        return card.putObject("files");
    }

    /** The normalisation's files, the epoch and the training configuration, last. */
    private static void cardEnd(ObjectNode card, ObjectNode files, int epoch, JsonNode training) {
        files.put("mean", MEAN);
        files.put("std", STD);
        card.put("epoch", epoch);
        card.set("training", training == null ? MAPPER.createObjectNode() : training.deepCopy());
    }

    /**
     * Reads and cross-checks a model folder; every error names the file at fault and what is wrong with it.
     *
     * @throws InputException for a missing folder or file, an unreadable or inconsistent one
     */
    public static TrainedModel read(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new InputException(folder + ": not a folder (expected a run folder holding " + CARD + ", "
                    + WEIGHTS + ", " + BIAS + ", " + MEAN + " and " + STD + ")");
        }
        Path cardFile = folder.resolve(CARD);
        if (!Files.exists(cardFile)) {
            throw new InputException(cardFile + ": file not found (a run folder written by this version of "
                    + "vectrain holds it beside W.npy)");
        }
        JsonNode card = JsonFiles.readTree(cardFile);
        int format = card.path("format").asInt(-1);
        if (format < 1 || format > FORMAT_VERSION) {
            throw new InputException(cardFile + ": format " + card.path("format") + " is not one this version reads ("
                    + FORMAT_VERSION + ")");
        }
        int classes = positive(card, "classes", cardFile);
        int dim = positive(card, "dim", cardFile);
        JsonNode namesNode = card.path("class_names");
        if (!namesNode.isArray() || namesNode.size() != classes) {
            throw new InputException(cardFile + ": class_names must list " + classes + " names");
        }
        List<String> names = new ArrayList<>();
        namesNode.forEach(n -> names.add(n.asText()));
        String loss = card.path("loss").asText("");
        if (!List.of("softmax", "svm", "bce").contains(loss)) {
            throw new InputException(cardFile + ": loss '" + loss + "' is not softmax, svm or bce");
        }
        double lambda = card.path("training").path("lambda").asDouble(0);
        String kind = card.path("kind").asText(LINEAR_KIND);
        if (!kind.equals(LINEAR_KIND) && !kind.equals(TWO_LAYER_KIND)) {
            throw new InputException(cardFile + ": kind '" + kind + "' is neither '" + LINEAR_KIND + "' nor '"
                    + TWO_LAYER_KIND + "'");
        }
        Normalization normalization = normalization(folder, dim);
        if (kind.equals(TWO_LAYER_KIND)) {
            int hidden = positive(card, "hidden", cardFile);
            if (hidden > TwoLayerModel.MAX_HIDDEN) {
                throw new InputException(cardFile + ": 'hidden' is " + hidden + ", at most "
                        + TwoLayerModel.MAX_HIDDEN);
            }
            float[] w1 = matrix(folder.resolve(W1), hidden, dim);
            float[] b1 = column(folder.resolve(B1), hidden);
            float[] w2 = matrix(folder.resolve(W2), classes, hidden);
            float[] b2 = column(folder.resolve(B2), classes);
            return new TrainedModel(null, new TwoLayerModel(classes, dim, hidden, dim, w1, b1, w2, b2), normalization,
                    List.copyOf(names), loss, lambda, card);
        }

        Npy.FloatArray w = Npy.read(folder.resolve(WEIGHTS));
        Npy.FloatArray b = Npy.read(folder.resolve(BIAS));
        if (!Arrays.equals(w.shape(), new int[] {classes, dim})) {
            throw new InputException(folder.resolve(WEIGHTS) + ": shape " + Arrays.toString(w.shape()) + ", but "
                    + CARD + " says [" + classes + ", " + dim + "]");
        }
        if (!Arrays.equals(b.shape(), new int[] {classes, 1}) && !Arrays.equals(b.shape(), new int[] {classes})) {
            throw new InputException(folder.resolve(BIAS) + ": shape " + Arrays.toString(b.shape()) + ", but "
                    + CARD + " says [" + classes + ", 1]");
        }
        requireFinite(w.data(), folder.resolve(WEIGHTS));
        requireFinite(b.data(), folder.resolve(BIAS));
        return new TrainedModel(new SoftmaxModel(classes, dim, w.data(), b.data()), null, normalization,
                List.copyOf(names), loss, lambda, card);
    }

    /** mean.npy and std.npy of {@code folder}, D entries each, every std positive. */
    private static Normalization normalization(Path folder, int dim) {
        double[] mean = vector(folder.resolve(MEAN), dim);
        double[] std = vector(folder.resolve(STD), dim);
        for (int j = 0; j < dim; j++) {
            if (!(std[j] > 0)) {
                throw new InputException(folder.resolve(STD) + ": entry " + j + " is " + std[j]
                        + "; every std must be positive");
            }
        }
        return new Normalization(mean, std);
    }

    /** A finite float32 matrix of shape (rows, cols) from {@code file}. */
    private static float[] matrix(Path file, int rows, int cols) {
        return readFinite(file, rows, cols, "", ", but " + CARD + " says ");
    }

    /** A finite float32 column of {@code rows} entries, shape (rows, 1) or (rows,), from {@code file}. */
    private static float[] column(Path file, int rows) {
        return readFinite(file, rows, 1, "", ", but " + CARD + " says ");
    }

    /**
     * A float32 array of shape (rows, cols) from {@code file} (a column, cols 1, also as a vector of rows), every
     * value finite; a file larger than that shape needs is refused before it is read. A refusal starts with
     * {@code prefix} (a flag and a space, or nothing) and the file; a wrong shape is followed by {@code expected}
     * and the shape, e.g. {@code ", expected "}.
     */
    public static float[] readFinite(Path file, int rows, int cols, String prefix, String expected) {
        Npy.FloatArray a = Npy.read(file, (long) rows * cols);
        boolean vector = cols == 1 && Arrays.equals(a.shape(), new int[] {rows});
        if (!Arrays.equals(a.shape(), new int[] {rows, cols}) && !vector) {
            throw new InputException(prefix + file + ": shape " + Arrays.toString(a.shape()) + expected + "["
                    + rows + ", " + cols + "]" + (cols == 1 ? " or [" + rows + "]" : ""));
        }
        for (float v : a.data()) {
            if (!Float.isFinite(v)) {
                throw new InputException(prefix + file + ": holds NaN or infinite values");
            }
        }
        return a.data();
    }

    private static int positive(JsonNode card, String field, Path file) {
        JsonNode node = card.path(field);
        if (!node.canConvertToInt() || node.asInt() < 1) {
            throw new InputException(file + ": '" + field + "' must be a positive integer, found " + node);
        }
        return node.asInt();
    }

    private static double[] vector(Path file, int dim) {
        Npy.DoubleArray a = Npy.readDoubles(file);
        if (a.data().length != dim || a.shape().length > 2) {
            throw new InputException(file + ": shape " + Arrays.toString(a.shape()) + ", but " + CARD + " says ["
                    + dim + "]");
        }
        for (double v : a.data()) {
            if (!Double.isFinite(v)) {
                throw new InputException(file + ": holds NaN or infinite values");
            }
        }
        return a.data();
    }

    private static void requireFinite(float[] values, Path file) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new InputException(file + ": holds NaN or infinite values");
            }
        }
    }
}
