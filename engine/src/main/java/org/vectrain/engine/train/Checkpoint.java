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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.vectrain.engine.InputException;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;
import org.vectrain.engine.model.ModelFiles;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.model.TwoLayerModel;

/**
 * A run's state after a whole epoch, in a folder ({@code checkpoint/} of the run folder), so that
 * {@code train --resume} goes on from it: {@code state.json} (the configuration, epoch, step count, history,
 * best epoch, and what the caller adds about the data) and the arrays of that epoch, named by it
 * ({@code epoch-0007-W.npy}, {@code -b.npy}; {@code -best-W.npy}, {@code -best-b.npy} with {@code --keep-best};
 * {@code -average-W.npy}, {@code -average-b.npy} in float64 with averaging). A two-layer network's checkpoint
 * ({@link #writeTwoLayer}) holds {@code W1.npy} (m x D), {@code b1.npy}, {@code W2.npy} and {@code b2.npy} in
 * their place, and {@code state.json} says its width and dropout under {@code network}. Each file is written atomically,
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

    /** A two-layer network's checkpoint read back: as {@link Saved}, with the run's dropout. */
    public record SavedTwoLayer(TrainConfig config, Dropout dropout, TwoLayerTrainingState state, JsonNode about) {
    }

    /** The network's arrays, as in a run folder, each a suffix of the epoch's prefix. */
    private static final String[] NETWORK_ARRAYS = {"W1.npy", "b1.npy", "W2.npy", "b2.npy"};

    private Checkpoint() {
    }

    /** Writes {@code state} of a run of {@code config} into {@code folder} (created if needed). */
    public static void write(Path folder, TrainConfig config, TrainingState state, JsonNode about) {
        AtomicFiles.ensureWritableDirectory(folder, "checkpoint folder");
        String prefix = prefix(state.epoch());
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
        ObjectNode root = stateJson(config, state.epoch(), state.steps(), prefix, state.bestEpoch(),
                state.bestAccuracy(), state.best() != null, state.averageCount(), state.history());
        finish(folder, prefix, root, about);
    }

    /**
     * Writes {@code state} of a two-layer run of {@code config} with {@code dropout} into {@code folder} (created if
     * needed), as {@link #write} does a one-layer run's: W1 as m x D rows, the averages' sums in float64.
     */
    public static void writeTwoLayer(Path folder, TrainConfig config, Dropout dropout, TwoLayerTrainingState state,
            JsonNode about) {
        AtomicFiles.ensureWritableDirectory(folder, "checkpoint folder");
        String prefix = prefix(state.epoch());
        TwoLayerModel m = state.model();
        writeNetwork(folder, prefix, m);
        if (state.best() != null) {
            writeNetwork(folder, prefix + "best-", state.best());
        }
        if (state.averageSums() != null) {
            double[][] sums = state.averageSums();
            Npy.writeDoubles(folder.resolve(prefix + "average-" + NETWORK_ARRAYS[0]),
                    rowsOf(sums[0], m.hidden(), m.stride(), m.dim()), m.hidden(), m.dim());
            Npy.writeDoubles(folder.resolve(prefix + "average-" + NETWORK_ARRAYS[1]), sums[1], m.hidden(), 1);
            Npy.writeDoubles(folder.resolve(prefix + "average-" + NETWORK_ARRAYS[2]), sums[2], m.classes(),
                    m.hidden());
            Npy.writeDoubles(folder.resolve(prefix + "average-" + NETWORK_ARRAYS[3]), sums[3], m.classes(), 1);
        }
        ObjectNode root = stateJson(config, state.epoch(), state.steps(), prefix, state.bestEpoch(),
                state.bestAccuracy(), state.best() != null, state.averageCount(), state.history());
        ObjectNode network = root.putObject("network");
        network.put("hidden", m.hidden());
        putDouble(network, "dropout", dropout.rate());
        finish(folder, prefix, root, about);
    }

    private static String prefix(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d-", epoch);
    }

    private static void writeNetwork(Path folder, String prefix, TwoLayerModel m) {
        Npy.write(folder.resolve(prefix + NETWORK_ARRAYS[0]), m.w1Rows(), m.hidden(), m.dim());
        Npy.write(folder.resolve(prefix + NETWORK_ARRAYS[1]), m.b1(), m.hidden(), 1);
        Npy.write(folder.resolve(prefix + NETWORK_ARRAYS[2]), m.w2(), m.classes(), m.hidden());
        Npy.write(folder.resolve(prefix + NETWORK_ARRAYS[3]), m.b2(), m.classes(), 1);
    }

    /** The first {@code dim} entries of each of {@code rows} rows {@code stride} apart, as rows of {@code dim}. */
    private static double[] rowsOf(double[] padded, int rows, int stride, int dim) {
        double[] out = new double[rows * dim];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(padded, i * stride, out, i * dim, dim);
        }
        return out;
    }

    /** Rows of {@code dim} spread to rows {@code stride} apart, zeros between. */
    private static double[] padded(double[] rows, int count, int stride, int dim) {
        double[] out = new double[count * stride];
        for (int i = 0; i < count; i++) {
            System.arraycopy(rows, i * dim, out, i * stride, dim);
        }
        return out;
    }

    /** state.json's fields that both kinds of run have: configuration, position, best epoch, history. */
    private static ObjectNode stateJson(TrainConfig config, int epoch, long steps, String prefix, int bestEpoch,
            double bestAccuracy, boolean hasBest, long averageCount, List<EpochRecord> records) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT_VERSION);
        root.put("epoch", epoch);
        root.put("steps", steps);
        root.put("arrays", prefix);
        root.put("best_epoch", bestEpoch);
        putDouble(root, "best_accuracy", bestAccuracy);
        root.put("has_best", hasBest);
        root.put("average_count", averageCount);
        root.set("config", configJson(config));
        ArrayNode history = root.putArray("history");
        for (EpochRecord r : records) {
            ObjectNode e = history.addObject();
            e.put("epoch", r.epoch());
            putDouble(e, "eta", r.eta());
            e.set("train", evaluationJson(r.train()));
            e.set("val", evaluationJson(r.validation()));
            putDouble(e, "train_ms", r.trainMillis());
            putDouble(e, "eval_ms", r.evalMillis());
        }
        return root;
    }

    /** {@code about} into {@code root}, state.json written last, then the older epochs' arrays removed. */
    private static void finish(Path folder, String prefix, ObjectNode root, JsonNode about) {
        root.set("about", about == null ? MAPPER.createObjectNode() : about.deepCopy());
        JsonFiles.write(folder.resolve(STATE), root);
        removeOtherEpochs(folder, prefix);
    }

    /**
     * Writes checkpoints on a thread of its own, so that training never waits for the disk (each file is forced to
     * disk, {@link AtomicFiles}), and at most one every {@link #INTERVAL_NANOS}, so that writing them takes little
     * of the cores the run needs: when an epoch's pass takes less, the thread writes the newest state it has been
     * given when the interval is over, and the states in between are never written. The checkpoint on disk is
     * always a whole epoch, at most about a second behind the run, and {@link #close()} writes the last state given
     * before it returns. A write that failed is thrown from a later {@link #accept} or from {@code close}, as it
     * was thrown.
     */
    public static final class Writer<S> implements Consumer<S>, AutoCloseable {
        private final Consumer<S> writeOne;
        private final ExecutorService thread;
        /**
         * The least time from the start of one write to the start of the next: a run killed between them loses at
         * most this much training, and the writes take a small share of a core.
         */
        static final long INTERVAL_NANOS = 1_000_000_000L;

        /** The newest state given and not yet taken by the writing thread. */
        private final AtomicReference<S> newest = new AtomicReference<>();
        /** Guards {@link #closing}; the writing thread rests on it between writes. */
        private final Object rest = new Object();
        private boolean closing;
        private Future<?> last;

        private Writer(Consumer<S> writeOne) {
            this.writeOne = writeOne;
            this.thread = Executors.newSingleThreadExecutor(task -> {
                Thread t = new Thread(task, "vectrain-checkpoints");
                t.setDaemon(true);
                return t;
            });
        }

        /** Writes the checkpoints of a run of {@code config} into {@code folder}, with {@code about} in each. */
        public static Writer<TrainingState> of(Path folder, TrainConfig config, JsonNode about) {
            return new Writer<>(state -> write(folder, config, state, about));
        }

        /** As {@link #of}, for a two-layer run with {@code dropout} ({@link #writeTwoLayer}). */
        public static Writer<TwoLayerTrainingState> ofTwoLayer(Path folder, TrainConfig config, Dropout dropout,
                JsonNode about) {
            return new Writer<>(state -> writeTwoLayer(folder, config, dropout, state, about));
        }

        /** Hands {@code state} to the writing thread, which writes it unless a newer one comes first. */
        @Override
        public void accept(S state) {
            if (last != null && last.isDone()) {
                awaitLast();
            }
            newest.set(state);
            if (last == null) {
                last = thread.submit(this::writeNewest);
            }
        }

        /** Writes the newest state given, rests for the rest of the interval, and so on until none is waiting. */
        private void writeNewest() {
            for (S state = newest.getAndSet(null); state != null; state = newest.getAndSet(null)) {
                long started = System.nanoTime();
                writeOne.accept(state);
                restUntil(started + INTERVAL_NANOS);
            }
        }

        private void restUntil(long deadline) {
            synchronized (rest) {
                for (long left = deadline - System.nanoTime(); left > 0 && !closing;
                        left = deadline - System.nanoTime()) {
                    try {
                        rest.wait(left / 1_000_000L, (int) (left % 1_000_000L));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        /** Writes the last state given, if it is not written yet, and waits for it. */
        @Override
        public void close() {
            synchronized (rest) {
                closing = true;
                rest.notifyAll();
            }
            try {
                awaitLast();
                if (newest.get() != null) {
                    last = thread.submit(this::writeNewest);
                    awaitLast();
                }
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
     * Reads the checkpoint of a one-layer run of {@code classes} x {@code dim} in {@code folder}; errors name the
     * file and say what is wrong.
     *
     * @throws InputException when there is none, it is damaged, its arrays are not of that shape or not finite, or it
     *     is a two-layer network's
     */
    public static Saved read(Path folder, int classes, int dim) {
        Path stateFile = folder.resolve(STATE);
        JsonNode root = readState(stateFile);
        if (root.has("network")) {
            throw new InputException(stateFile + ": the checkpoint of a two-layer network, not of a one-layer model");
        }
        try {
            String prefix = arrayPrefix(root, stateFile);
            SoftmaxModel model = new SoftmaxModel(classes, dim, array(folder, prefix + "W.npy", classes, dim),
                    array(folder, prefix + "b.npy", classes, 1));
            SoftmaxModel best = null;
            if (root.path("has_best").asBoolean()) {
                best = new SoftmaxModel(classes, dim, array(folder, prefix + "best-W.npy", classes, dim),
                        array(folder, prefix + "best-b.npy", classes, 1));
            }
            double[] averageW = null;
            double[] averageB = null;
            long averageCount = root.path("average_count").asLong();
            if (averageCount > 0) {
                averageW = sums(folder, prefix + "average-W.npy", classes * dim);
                averageB = sums(folder, prefix + "average-b.npy", classes);
            }
            List<EpochRecord> history = history(root, stateFile);
            TrainingState state = new TrainingState(history.size(), root.path("steps").asLong(), model, history,
                    root.path("best_epoch").asInt(), number(root.path("best_accuracy")), best, averageW, averageB,
                    averageCount);
            return new Saved(config(root.path("config")), state, root.path("about"));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw inconsistent(stateFile, e);
        }
    }

    /**
     * Reads the checkpoint of a two-layer run of {@code classes} classes and {@code dim} dimensions in
     * {@code folder}, its W1 laid out in rows of {@code stride} floats (the trainer's); errors name the file and say
     * what is wrong.
     *
     * @throws InputException when there is none, it is damaged, its arrays are not of the shapes its width gives or
     *     not finite, or it is a one-layer model's
     */
    public static SavedTwoLayer readTwoLayer(Path folder, int classes, int dim, int stride) {
        Path stateFile = folder.resolve(STATE);
        JsonNode root = readState(stateFile);
        if (!root.has("network")) {
            throw new InputException(stateFile + ": the checkpoint of a one-layer model, not of a two-layer network");
        }
        try {
            String prefix = arrayPrefix(root, stateFile);
            int hidden = root.path("network").path("hidden").asInt();
            if (hidden < 1 || hidden > TwoLayerModel.MAX_HIDDEN) {
                throw new IllegalArgumentException("network.hidden " + hidden + " is not in 1.."
                        + TwoLayerModel.MAX_HIDDEN);
            }
            Dropout dropout = new Dropout(number(root.path("network").path("dropout")));
            TwoLayerModel model = readNetwork(folder, prefix, classes, dim, hidden, stride);
            TwoLayerModel best = root.path("has_best").asBoolean()
                    ? readNetwork(folder, prefix + "best-", classes, dim, hidden, stride) : null;
            double[][] averageSums = null;
            long averageCount = root.path("average_count").asLong();
            if (averageCount > 0) {
                String average = prefix + "average-";
                averageSums = new double[][] {
                    padded(sums(folder, average + NETWORK_ARRAYS[0], hidden * dim), hidden, stride, dim),
                    sums(folder, average + NETWORK_ARRAYS[1], hidden),
                    sums(folder, average + NETWORK_ARRAYS[2], classes * hidden),
                    sums(folder, average + NETWORK_ARRAYS[3], classes)};
            }
            List<EpochRecord> history = history(root, stateFile);
            TwoLayerTrainingState state = new TwoLayerTrainingState(history.size(), root.path("steps").asLong(),
                    model, history, root.path("best_epoch").asInt(), number(root.path("best_accuracy")), best,
                    averageSums, averageCount);
            return new SavedTwoLayer(config(root.path("config")), dropout, state, root.path("about"));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw inconsistent(stateFile, e);
        }
    }

    /** Whether the checkpoint in {@code folder} is a two-layer network's. */
    public static boolean holdsTwoLayer(Path folder) {
        return readState(folder.resolve(STATE)).has("network");
    }

    private static TwoLayerModel readNetwork(Path folder, String prefix, int classes, int dim, int hidden,
            int stride) {
        return new TwoLayerModel(classes, dim, hidden, dim, array(folder, prefix + NETWORK_ARRAYS[0], hidden, dim),
                array(folder, prefix + NETWORK_ARRAYS[1], hidden, 1),
                array(folder, prefix + NETWORK_ARRAYS[2], classes, hidden),
                array(folder, prefix + NETWORK_ARRAYS[3], classes, 1)).withStride(stride);
    }

    /** A finite float32 array of shape (rows, cols) (a column also as a vector), refused naming its file. */
    private static float[] array(Path folder, String name, int rows, int cols) {
        return ModelFiles.readFinite(folder.resolve(name), rows, cols, "", ", expected ");
    }

    /** An average's sums, {@code length} of them in float64. */
    private static double[] sums(Path folder, String name, int length) {
        double[] sums = Npy.readDoubles(folder.resolve(name)).data();
        if (sums.length != length) {
            throw new IllegalArgumentException(name + " holds " + sums.length + " sums, not " + length);
        }
        return sums;
    }

    /** state.json, present and of this format. */
    private static JsonNode readState(Path stateFile) {
        if (!Files.exists(stateFile)) {
            throw new InputException(stateFile + ": file not found (a run folder written by train holds a "
                    + "checkpoint of a whole epoch)");
        }
        JsonNode root = JsonFiles.readTree(stateFile);
        if (root.path("format").asInt(-1) != FORMAT_VERSION) {
            throw new InputException(stateFile + ": format " + root.path("format") + " is not " + FORMAT_VERSION);
        }
        return root;
    }

    private static String arrayPrefix(JsonNode root, Path stateFile) {
        String prefix = root.path("arrays").asText();
        if (!prefix.matches("epoch-[0-9]{4,}-")) {
            throw new InputException(stateFile + ": 'arrays' is not an epoch prefix");
        }
        return prefix;
    }

    /** The records of the epochs done, as many as state.json's epoch says. */
    private static List<EpochRecord> history(JsonNode root, Path stateFile) {
        List<EpochRecord> history = new ArrayList<>();
        for (JsonNode e : root.path("history")) {
            history.add(new EpochRecord(e.path("epoch").asInt(), number(e.path("eta")), evaluation(e.path("train")),
                    evaluation(e.path("val")), number(e.path("train_ms")), number(e.path("eval_ms"))));
        }
        int epoch = root.path("epoch").asInt();
        if (epoch < 1 || history.size() != epoch) {
            throw new InputException(stateFile + ": epoch " + epoch + " with " + history.size() + " history records");
        }
        return history;
    }

    private static InputException inconsistent(Path stateFile, RuntimeException e) {
        return new InputException(stateFile + ": inconsistent with the arrays beside it (" + e.getMessage() + ")", e);
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
