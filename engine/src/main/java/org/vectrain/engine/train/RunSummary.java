package org.vectrain.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.vectrain.engine.eval.Evaluation;

/**
 * The {@code summary.json} of one run: {@code config}, {@code history} (per epoch, {@code train} and
 * {@code val} with {@code loss}, {@code cost}, {@code accuracy}, and the {@code eta} of the epoch's last
 * update), {@code test}, {@code test_per_class_accuracy} (indexed by class), {@code model_epoch} (whose
 * weights were saved and tested), {@code best_epoch} and {@code stopped_early} when the run tracked the
 * best validation accuracy, {@code timing}, {@code environment}, and {@code status} ({@code completed} or
 * {@code diverged} with its reason). Non-finite figures of a diverged run are written as the strings "NaN"
 * or "Infinity".
 */
public final class RunSummary {
    /** Bumped when a field changes meaning; readers check it. */
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunSummary() {
    }

    /**
     * @param data a description of the data: split, validation size, source
     * @param init how W and b were initialised ("gaussian N(0, 0.01^2)", or the folder they came from)
     */
    public static ObjectNode toJson(TrainConfig config, ObjectNode data, String init, RunOutcome result,
            RunEnvironment environment) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT_VERSION);
        ObjectNode c = root.putObject("config");
        c.put("lambda", config.lambda());
        c.put("eta", config.eta());
        c.put("n_batch", config.batchSize());
        c.put("n_epochs", config.epochs());
        c.put("seed", config.seed());
        c.put("shuffle", config.shuffle());
        c.put("zero_bias", config.zeroBias());
        c.put("flip", config.flip());
        c.put("translate", config.translate());
        ObjectNode schedule = c.putObject("schedule");
        schedule.put("kind", config.schedule().kind().name().toLowerCase(java.util.Locale.ROOT));
        if (config.schedule().kind() == LearningRateSchedule.Kind.STEP) {
            schedule.put("every", config.schedule().stepEvery());
            schedule.put("factor", config.schedule().stepFactor());
        } else if (config.schedule().kind() == LearningRateSchedule.Kind.COSINE) {
            schedule.put("eta_min", config.schedule().etaMin());
        } else if (config.schedule().kind() == LearningRateSchedule.Kind.CYCLIC) {
            schedule.put("eta_min", config.schedule().etaMin());
            schedule.put("half_cycle_steps", config.schedule().halfCycle());
        }
        c.put("keep_best", config.keepBest());
        c.put("loss", config.loss().id());
        c.put("patience", config.patience());
        c.put("average_from", config.averageFrom());
        c.put("init", init);
        c.set("data", data);
        c.put("label", config.label());

        ArrayNode history = root.putArray("history");
        for (EpochRecord r : result.history()) {
            ObjectNode e = history.addObject();
            e.put("epoch", r.epoch());
            e.put("eta", r.eta());
            e.set("train", figures(r.train()));
            e.set("val", figures(r.validation()));
            e.put("train_ms", round3(r.trainMillis()));
            e.put("eval_ms", round3(r.evalMillis()));
        }
        if (result.test() == null) {
            root.putNull("test");
        } else {
            root.set("test", figures(result.test()));
        }
        if (result.testConfusion() != null) {
            ArrayNode perClass = root.putArray("test_per_class_accuracy");
            for (double a : result.testConfusion().perClassAccuracy()) {
                if (Double.isFinite(a)) {
                    perClass.add(a);
                } else {
                    perClass.add(Double.toString(a));
                }
            }
        }
        // which epoch's weights were saved and tested: the best one with keep_best, else the last
        root.put("model_epoch", result.modelEpoch());
        if (config.tracksBest()) {
            root.put("best_epoch", result.bestEpoch());
            root.put("stopped_early", result.stoppedEarly());
        }
        root.put("status", result.diverged() ? "diverged" : "completed");
        if (result.diverged()) {
            root.put("divergence", result.divergence());
        }
        ObjectNode timing = root.putObject("timing");
        timing.put("train_ms_per_epoch", round3(result.medianTrainMillis()));
        timing.put("eval_ms_per_epoch", round3(result.medianEvalMillis()));
        timing.put("total_ms", round3(result.totalMillis()));
        timing.put("statistic", "median over epochs");
        ObjectNode env = root.putObject("environment");
        env.put("jdk", environment.jdk());
        env.put("vector_species", environment.kernels());
        env.put("threads", environment.threads());
        env.put("cpu", environment.cpu());
        env.put("os", environment.os());
        return root;
    }

    static ObjectNode figures(Evaluation e) {
        ObjectNode o = MAPPER.createObjectNode();
        put(o, "loss", e.loss());
        put(o, "cost", e.cost());
        put(o, "accuracy", e.accuracy());
        return o;
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.put(key, Double.toString(v));
        }
    }

    private static double round3(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
    }

    /** The history as CSV: one row per epoch, header first. */
    public static String historyCsv(RunOutcome result) {
        StringBuilder sb = new StringBuilder(
                "epoch,eta,train_loss,train_cost,train_accuracy,val_loss,val_cost,val_accuracy,train_ms,eval_ms\n");
        for (EpochRecord r : result.history()) {
            sb.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%s,%s,%s,%s,%.3f,%.3f%n", r.epoch(), num(r.eta()),
                    num(r.train().loss()), num(r.train().cost()), num(r.train().accuracy()), num(r.validation().loss()),
                    num(r.validation().cost()), num(r.validation().accuracy()), r.trainMillis(), r.evalMillis()));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : (Double.isNaN(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"));
    }
}
