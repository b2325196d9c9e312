package org.vectrain.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.vectrain.engine.InputException;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;
import org.vectrain.engine.model.SoftmaxModel;

/**
 * A run's state after its last whole epoch, in a folder ({@code checkpoint/} of the run folder), so that
 * {@code train --resume} goes on from it: {@code state.json} (the configuration, epoch, step count, history,
 * best epoch, and what the caller adds about the data) and the arrays of that epoch, named by it
 * ({@code epoch-0007-W.npy}, {@code -b.npy}; {@code -best-W.npy}, {@code -best-b.npy} with {@code --keep-best};
 * {@code -average-W.npy}, {@code -average-b.npy} in float64 with averaging). Each file is written atomically,
 * the arrays first, {@code state.json} last, and only then are the previous epoch's arrays removed: whenever
 * the process is killed, {@code state.json} names arrays that are whole.
 */
public final class Checkpoint {
    public static final String FOLDER = "checkpoint";
    public static final String STATE = "state.json";
    /** Bumped when a field changes meaning; {@link #read} refuses others. */
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A checkpoint read back: the run's configuration, its state, and what the writer added about the run. */
    public record Saved(TrainConfig config, TrainingState state, JsonNode about) {
    }

    private Checkpoint() {
    }

    /** Writes {@code state} of a run of {@code config} into {@code folder} (created if needed). */
    public static void write(Path folder, TrainConfig config, TrainingState state, JsonNode about) {
        AtomicFiles.ensureWritableDirectory(folder, "checkpoint folder");
        String prefix = String.format(Locale.ROOT, "epoch-%04d-", state.epoch());
        SoftmaxModel m = state.model();
        Npy.write(folder.resolve(prefix + "W.npy"), m.weights(), m.classes(), m.dim());
        Npy.write(folder.resolve(prefix + "b.npy"), m.bias(), m.classes(), 1);
        if (state.best() != null) {
            Npy.write(folder.resolve(prefix + "best-W.npy"), state.best().weights(), m.classes(), m.dim());
            Npy.write(folder.resolve(prefix + "best-b.npy"), state.best().bias(), m.classes(), 1);
        }
        if (state.averageW() != null) {
            Npy.writeDoubles(folder.resolve(prefix + "average-W.npy"), state.averageW(), m.classes(), m.dim());
            Npy.writeDoubles(folder.resolve(prefix + "average-b.npy"), state.averageB(), m.classes(), 1);
        }
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT_VERSION);
        root.put("epoch", state.epoch());
        root.put("steps", state.steps());
        root.put("arrays", prefix);
        root.put("best_epoch", state.bestEpoch());
        putDouble(root, "best_accuracy", state.bestAccuracy());
        root.put("has_best", state.best() != null);
        root.put("average_count", state.averageCount());
        root.set("config", configJson(config));
        ArrayNode history = root.putArray("history");
        for (EpochRecord r : state.history()) {
            ObjectNode e = history.addObject();
            e.put("epoch", r.epoch());
            putDouble(e, "eta", r.eta());
            e.set("train", evaluationJson(r.train()));
            e.set("val", evaluationJson(r.validation()));
            putDouble(e, "train_ms", r.trainMillis());
            putDouble(e, "eval_ms", r.evalMillis());
        }
        root.set("about", about == null ? MAPPER.createObjectNode() : about.deepCopy());
        JsonFiles.write(folder.resolve(STATE), root);
        removeOtherEpochs(folder, prefix);
    }

    /**
     * Writes checkpoints on a thread of its own, one at a time and in order, so that training does not wait
     * for the disk: each file is forced to disk ({@link AtomicFiles}), which can take longer than an epoch's
     * pass. A write waits only for the one before it; {@link #close()} waits for the last, and a write that
     * failed is thrown from the next {@link #accept} or from {@code close}, as it was thrown.
     */
    public static final class Writer implements Consumer<TrainingState>, AutoCloseable {
        private final Path folder;
        private final TrainConfig config;
        private final JsonNode about;
        private final ExecutorService thread;
        private Future<?> last;

        /** Writes the checkpoints of a run of {@code config} into {@code folder}, with {@code about} in each. */
        public Writer(Path folder, TrainConfig config, JsonNode about) {
            this.folder = folder;
            this.config = config;
            this.about = about;
            this.thread = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "vectrain-checkpoints");
                t.setDaemon(true);
                return t;
            });
        }

        /** Starts writing {@code state} once the previous checkpoint is written. */
        @Override
        public void accept(TrainingState state) {
            awaitLast();
            last = thread.submit(() -> write(folder, config, state, about));
        }

        /** Waits for the last checkpoint to be written. */
        @Override
        public void close() {
            try {
                awaitLast();
            } finally {
                thread.shutdown();
            }
        }

        private void awaitLast() {
            if (last == null) {
                return;
            }
            Future<?> pending = last;
            last = null;
            try {
                pending.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing a checkpoint", e);
            }
        }
    }

    private static void removeOtherEpochs(Path folder, String keep) {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "epoch-*")) {
            for (Path f : files) {
                if (!f.getFileName().toString().startsWith(keep)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException(folder + ": cannot remove an older checkpoint (" + e + ")",
                    e));
        }
    }

    /**
     * Reads the checkpoint in {@code folder}; errors name the file and say what is wrong.
     *
     * @throws InputException when there is none, or it is damaged
     */
    public static Saved read(Path folder) {
        Path stateFile = folder.resolve(STATE);
        if (!Files.exists(stateFile)) {
            throw new InputException(stateFile + ": file not found (a run folder written by train holds a "
                    + "checkpoint of its last whole epoch)");
        }
        JsonNode root = JsonFiles.readTree(stateFile);
        if (root.path("format").asInt(-1) != FORMAT_VERSION) {
            throw new InputException(stateFile + ": format " + root.path("format") + " is not " + FORMAT_VERSION);
        }
        try {
            TrainConfig config = config(root.path("config"));
            String prefix = root.path("arrays").asText();
            if (!prefix.matches("epoch-[0-9]{4,}-")) {
                throw new InputException(stateFile + ": 'arrays' is not an epoch prefix");
            }
            Npy.FloatArray w = Npy.read(folder.resolve(prefix + "W.npy"));
            Npy.FloatArray b = Npy.read(folder.resolve(prefix + "b.npy"));
            int classes = w.shape()[0];
            int dim = w.data().length / classes;
            SoftmaxModel model = new SoftmaxModel(classes, dim, w.data(), b.data());
            SoftmaxModel best = null;
            if (root.path("has_best").asBoolean()) {
                best = new SoftmaxModel(classes, dim, Npy.read(folder.resolve(prefix + "best-W.npy")).data(),
                        Npy.read(folder.resolve(prefix + "best-b.npy")).data());
            }
            double[] averageW = null;
            double[] averageB = null;
            long averageCount = root.path("average_count").asLong();
            if (averageCount > 0) {
                averageW = Npy.readDoubles(folder.resolve(prefix + "average-W.npy")).data();
                averageB = Npy.readDoubles(folder.resolve(prefix + "average-b.npy")).data();
            }
            List<EpochRecord> history = new ArrayList<>();
            for (JsonNode e : root.path("history")) {
                history.add(new EpochRecord(e.path("epoch").asInt(), number(e.path("eta")), evaluation(e.path("train")),
                        evaluation(e.path("val")), number(e.path("train_ms")), number(e.path("eval_ms"))));
            }
            int epoch = root.path("epoch").asInt();
            if (epoch < 1 || history.size() != epoch) {
                throw new InputException(stateFile + ": epoch " + epoch + " with " + history.size()
                        + " history records");
            }
            TrainingState state = new TrainingState(epoch, root.path("steps").asLong(), model, history,
                    root.path("best_epoch").asInt(), number(root.path("best_accuracy")), best, averageW, averageB,
                    averageCount);
            return new Saved(config, state, root.path("about"));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InputException(stateFile + ": inconsistent with the arrays beside it (" + e.getMessage() + ")",
                    e);
        }
    }

    static ObjectNode configJson(TrainConfig c) {
        ObjectNode o = MAPPER.createObjectNode();
        putDouble(o, "lambda", c.lambda());
        putDouble(o, "eta", c.eta());
        o.put("batch", c.batchSize());
        o.put("epochs", c.epochs());
        o.put("seed", c.seed());
        o.put("shuffle", c.shuffle());
        o.put("zero_bias", c.zeroBias());
        o.put("flip", c.flip());
        ObjectNode s = o.putObject("schedule");
        s.put("kind", c.schedule().kind().name());
        s.put("step_every", c.schedule().stepEvery());
        putDouble(s, "step_factor", c.schedule().stepFactor());
        putDouble(s, "eta_min", c.schedule().etaMin());
        s.put("half_cycle", c.schedule().halfCycle());
        o.put("keep_best", c.keepBest());
        o.put("patience", c.patience());
        o.put("loss", c.loss().name());
        o.put("translate", c.translate());
        o.put("average_from", c.averageFrom());
        return o;
    }

    static TrainConfig config(JsonNode o) {
        JsonNode s = o.path("schedule");
        LearningRateSchedule schedule = new LearningRateSchedule(LearningRateSchedule.Kind.valueOf(s.path("kind")
                .asText()), s.path("step_every").asInt(), number(s.path("step_factor")), number(s.path("eta_min")),
                s.path("half_cycle").asInt());
        return new TrainConfig(number(o.path("lambda")), number(o.path("eta")), o.path("batch").asInt(),
                o.path("epochs").asInt(), o.path("seed").asLong(), o.path("shuffle").asBoolean(),
                o.path("zero_bias").asBoolean(), o.path("flip").asBoolean(), schedule, o.path("keep_best").asBoolean(),
                o.path("patience").asInt(), Loss.valueOf(o.path("loss").asText()), o.path("translate").asInt(),
                o.path("average_from").asInt());
    }

    private static ObjectNode evaluationJson(Evaluation e) {
        ObjectNode o = MAPPER.createObjectNode();
        putDouble(o, "loss", e.loss());
        putDouble(o, "cost", e.cost());
        putDouble(o, "accuracy", e.accuracy());
        o.put("correct", e.correct());
        o.put("count", e.count());
        return o;
    }

    private static Evaluation evaluation(JsonNode o) {
        return new Evaluation(number(o.path("loss")), number(o.path("cost")), number(o.path("accuracy")),
                o.path("correct").asLong(), o.path("count").asInt());
    }

    /** Doubles as JSON numbers (they read back to the same bits), or as strings where not finite. */
    private static void putDouble(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.put(key, Double.toString(v));
        }
    }

    private static double number(JsonNode n) {
        if (n.isTextual()) {
            return Double.parseDouble(n.asText());
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException("expected a number, found " + n);
        }
        return n.doubleValue();
    }
}
