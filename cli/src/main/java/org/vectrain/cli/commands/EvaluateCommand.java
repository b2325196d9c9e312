package org.vectrain.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.report.ConfusionPlot;
import org.vectrain.cli.report.MisclassifiedGallery;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Split;
import org.vectrain.engine.eval.ConfusionMatrix;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.model.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vectrain evaluate MODEL_DIR}: loss, cost, accuracy, per-class accuracy and the confusion matrix of a
 * saved model on one set, with the normalisation saved beside the model, and a gallery of the most confident
 * mistakes. The same evaluation pass as training's, so the figures are the run's own, to the last digit.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on the test, validation or training set: loss, accuracy, per-class "
                + "accuracy, confusion matrix (PNG and CSV) and a gallery of the most confidently misclassified images.")
public final class EvaluateCommand implements Callable<Integer> {
    static final String JSON = "evaluation.json";
    static final String CONFUSION_CSV = "confusion.csv";
    static final String CONFUSION_PNG = "confusion.png";
    static final String GALLERY_PNG = "misclassified.png";

    @Parameters(index = "0", paramLabel = "MODEL_DIR",
            description = "A run folder: W.npy, b.npy, mean.npy, std.npy and model.json.")
    Path modelDir;

    @Mixin
    DataOption dataOption;

    @Option(names = "--split", paramLabel = "NAME",
            description = "standard or all, as for train (default: the split the model was trained on).")
    String split;

    @Option(names = "--val-size", paramLabel = "N",
            description = "Validation images held out by --split all (default: the model's).")
    Integer validationSize;

    @Option(names = "--set", paramLabel = "SET", defaultValue = "test",
            description = "test, validation or train (default: ${DEFAULT-VALUE}).")
    String set;

    @Option(names = "--gallery", paramLabel = "N", defaultValue = "32",
            description = "Misclassified images in the gallery, most confident first, 0..1000 (default: ${DEFAULT-VALUE}).")
    int gallery;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder for evaluation.json, confusion.csv, confusion.png and misclassified.png "
                    + "(default: MODEL_DIR/evaluation-SET).")
    Path out;

    @Mixin
    RunOptions runOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!List.of("test", "validation", "train").contains(set)) {
            throw new InputException("--set: '" + set + "' is not test, validation or train");
        }
        if (gallery < 0 || gallery > 1000) {
            throw new InputException("--gallery: " + gallery + " must be in 0..1000");
        }
        int threads = runOptions.threads();
        ModelFiles.TrainedModel trained = ModelFiles.read(modelDir);
        if (trained.dim() != LabeledImages.PIXELS || trained.classes() != LabeledImages.CLASSES) {
            throw new InputException(modelDir.resolve(ModelFiles.CARD) + ": a model of " + trained.classes()
                    + " x " + trained.dim() + "; CIFAR-10 needs " + LabeledImages.CLASSES + " x "
                    + LabeledImages.PIXELS);
        }
        JsonNode recorded = trained.card().path("training").path("data");
        Split chosenSplit = Split.parse(split != null ? split : recorded.path("split").asText("standard"),
                "--split");
        int valSize = validationSize != null ? validationSize
                : recorded.path("validation_size").asInt(Split.DEFAULT_ALL_VALIDATION);
        Path folder = out != null ? out : modelDir.resolve("evaluation-" + set);
        AtomicFiles.ensureWritableDirectory(folder, "--out");

        CifarSource source = dataOption.open();
        Split.SplitImages images = chosenSplit.load(source, valSize);
        LabeledImages chosen = switch (set) {
            case "train" -> images.train();
            case "validation" -> images.validation();
            default -> images.test();
        };
        DataSet data = DataSet.of(set, chosen, trained.normalization());
        int n = data.size();
        int[] predictions = new int[n];
        Evaluation figures = ModelScores.evaluate(trained, data, predictions, threads);
        List<String> names = trained.classNames();
        ConfusionMatrix confusion = ConfusionMatrix.of(trained.classes(), data.labels(), predictions);

        String title = set + " set, " + modelDir;
        AtomicFiles.writeString(folder.resolve(CONFUSION_CSV), confusion.toCsv(names));
        ConfusionPlot.write(folder.resolve(CONFUSION_PNG), confusion, names, "Confusion, " + title);
        writeGallery(folder.resolve(GALLERY_PNG), trained, data, predictions, title, threads);
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("model", modelDir.toString());
        json.put("set", set);
        json.put("split", chosenSplit.id());
        json.put("images", n);
        json.put("loss", figures.loss());
        json.put("cost", figures.cost());
        json.put("accuracy", figures.accuracy());
        json.put("correct", figures.correct());
        ArrayNode perClass = json.putArray("per_class_accuracy");
        for (double a : confusion.perClassAccuracy()) {
            perClass.add(a);
        }
        JsonFiles.write(folder.resolve(JSON), json);

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%s set, %d images (split %s, %s): loss %s, cost %s, accuracy %s (%.2f %%, %d "
                + "correct)%n", set, n, chosenSplit.id(), source.folder(), figures.loss(), figures.cost(),
                figures.accuracy(), 100 * figures.accuracy(), figures.correct());
        if (!runOptions.quiet) {
            stdout.println("per-class accuracy:");
            double[] perClassAccuracy = confusion.perClassAccuracy();
            for (int k = 0; k < names.size(); k++) {
                stdout.printf(Locale.ROOT, "  %-12s %6.2f %%%n", names.get(k), 100 * perClassAccuracy[k]);
            }
            stdout.println("confusion matrix (rows: true class, columns: predicted):");
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-12s", ""));
            for (String name : names) {
                header.append(String.format(Locale.ROOT, " %6.6s", name));
            }
            stdout.println(header);
            for (int t = 0; t < names.size(); t++) {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-12s", names.get(t)));
                for (int p = 0; p < names.size(); p++) {
                    row.append(String.format(Locale.ROOT, " %6d", confusion.count(t, p)));
                }
                stdout.println(row);
            }
            stdout.println("written: " + folder.resolve(JSON) + ", " + CONFUSION_CSV + ", " + CONFUSION_PNG + ", "
                    + GALLERY_PNG);
        }
        stdout.flush();
        return ExitCodes.OK;
    }

    /** The {@code --gallery} misclassified images whose predicted class the model was surest of. */
    private void writeGallery(Path png, ModelFiles.TrainedModel trained, DataSet data, int[] predictions,
            String title, int threads) {
        int n = data.size();
        int k = trained.classes();
        float[] scores = ModelScores.scores(trained, data, false, threads);
        double[] values = new double[k];
        List<double[]> wrong = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (predictions[j] != data.labels()[j]) {
                PredictCommand.valuesOf(scores, k, n, j, trained.loss(), values);
                wrong.add(new double[] {values[predictions[j]], j});
            }
        }
        // surest first; equal figures in set order
        wrong.sort(Comparator.<double[]>comparingDouble(w -> -w[0]).thenComparingDouble(w -> w[1]));
        List<MisclassifiedGallery.Tile> tiles = new ArrayList<>();
        String figure = trained.loss().equals("svm") ? "score " : "p=";
        for (int t = 0; t < Math.min(gallery, wrong.size()); t++) {
            int j = (int) wrong.get(t)[1];
            byte[] pixels = java.util.Arrays.copyOfRange(data.pixels(), j * data.dim(), (j + 1) * data.dim());
            tiles.add(new MisclassifiedGallery.Tile(pixels, trained.classNames().get(data.labels()[j]),
                    trained.classNames().get(predictions[j]),
                    figure + String.format(Locale.ROOT, "%.3f", wrong.get(t)[0])));
        }
        MisclassifiedGallery.write(png, tiles, "Most confidently misclassified, " + title);
    }
}
