package org.vectrain.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.model.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vectrain predict MODEL_DIR INPUT...}: the class of each image, by a model folder. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Classify images with a trained model: one line per image with the predicted class, its "
                + "probability and the top 3.",
            "INPUT is a PNG or JPEG image of any size (scaled to 32 x 32 by area averaging; alpha ignored), a folder "
                + "of them, a CIFAR-10 binary batch (.bin) or a .npy of uint8 images, shape (N, 3072) in CIFAR "
                + "record order or (N, 32, 32, 3)."})
public final class PredictCommand implements Callable<Integer> {
    /** Classes listed per image. */
    static final int TOP = 3;
    /**
     * Most images scored with the scalar kernels. The vector kernels run interpreted until the JIT has
     * compiled them, which only many images pay for: below one CIFAR batch the scalar twins finish first.
     */
    static final int SCALAR_UP_TO = 10_000;

    @Parameters(index = "0", paramLabel = "MODEL_DIR",
            description = "A run folder: W.npy, b.npy, mean.npy, std.npy and model.json.")
    Path modelDir;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "INPUT", description = "Images, folders, .bin or .npy files.")
    List<Path> inputs;

    @Option(names = "--json", description = "One JSON document instead of lines: predictions and skipped files.")
    boolean json;

    @Option(names = "--strict", description = "An unreadable image in a folder ends the command (exit 2) instead of "
            + "being reported and skipped.")
    boolean strict;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ModelFiles.TrainedModel trained = ModelFiles.read(modelDir);
        ImageInputs.Decoded decoded = ImageInputs.read(inputs, strict);
        List<ImageInputs.Image> images = decoded.images();
        int n = images.size();
        if (n == 0) {
            throw new InputException("no image could be read; the first: " + decoded.skipped().get(0).reason());
        }
        int k = trained.classes();
        float[] scores = new float[0];
        if (n > 0) {
            byte[] pixels = new byte[n * ImageInputs.PIXELS];
            for (int i = 0; i < n; i++) {
                System.arraycopy(images.get(i).pixels(), 0, pixels, i * ImageInputs.PIXELS, ImageInputs.PIXELS);
            }
            float[][] affine = trained.normalization().signedAffine();
            DataSet set = new DataSet("predict", pixels, new int[n], ImageInputs.PIXELS, affine[0], affine[1]);
            scores = ModelScores.scores(trained, set, n <= SCALAR_UP_TO, 1);
        }
        boolean probabilities = !trained.loss().equals("svm");
        String figure = probabilities ? "probability" : "score";
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("model", modelDir.toString());
        doc.put("loss", trained.loss());
        doc.put("figure", figure);
        ArrayNode predictions = doc.putArray("predictions");
        double[] value = new double[k];
        Integer[] order = new Integer[k];
        for (int j = 0; j < n; j++) {
            valuesOf(scores, k, n, j, trained.loss(), value);
            for (int c = 0; c < k; c++) {
                order[c] = c;
            }
            // highest first; equal values keep the lower class first, as arg max does
            java.util.Arrays.sort(order, (a, b) -> value[a] != value[b] ? Double.compare(value[b], value[a])
                    : Integer.compare(a, b));
            ImageInputs.Image image = images.get(j);
            List<String> names = trained.classNames();
            if (json) {
                ObjectNode p = predictions.addObject();
                p.put("input", image.name());
                p.put("class", names.get(order[0]));
                p.put("class_index", order[0]);
                p.put(figure, value[order[0]]);
                if (image.label() >= 0) {
                    p.put("label", names.get(image.label()));
                }
                ArrayNode top = p.putArray("top");
                for (int t = 0; t < Math.min(TOP, k); t++) {
                    top.addObject().put("class", names.get(order[t])).put(figure, value[order[t]]);
                }
            } else {
                StringBuilder line = new StringBuilder(image.name()).append('\t').append(names.get(order[0]))
                        .append('\t').append(format(value[order[0]])).append("\ttop ").append(Math.min(TOP, k))
                        .append(": ");
                for (int t = 0; t < Math.min(TOP, k); t++) {
                    line.append(t == 0 ? "" : ", ").append(names.get(order[t])).append(' ')
                            .append(format(value[order[t]]));
                }
                if (image.label() >= 0) {
                    line.append("\tlabel ").append(names.get(image.label()));
                }
                out.println(line);
            }
        }
        if (json) {
            ArrayNode skipped = doc.putArray("skipped");
            for (ImageInputs.Skipped s : decoded.skipped()) {
                skipped.addObject().put("input", s.name()).put("error", s.reason());
            }
            try {
                out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        out.flush();
        for (ImageInputs.Skipped s : decoded.skipped()) {
            err.println("vectrain: skipped " + s.reason());
        }
        return ExitCodes.OK;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /**
     * What the output reports for each class of image j (of K x n class-major scores): the softmax
     * probabilities for a softmax model, one sigmoid per class for BCE, the raw scores for the SVM.
     */
    static void valuesOf(float[] s, int classes, int n, int j, String loss, double[] out) {
        switch (loss) {
            case "softmax" -> {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, s[c * n + j]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    out[c] = Math.exp(s[c * n + j] - max);
                    sum += out[c];
                }
                for (int c = 0; c < classes; c++) {
                    out[c] /= sum;
                }
            }
            case "bce" -> {
                for (int c = 0; c < classes; c++) {
                    out[c] = 1 / (1 + Math.exp(-s[c * n + j]));
                }
            }
            default -> {
                for (int c = 0; c < classes; c++) {
                    out[c] = s[c * n + j];
                }
            }
        }
    }
}
