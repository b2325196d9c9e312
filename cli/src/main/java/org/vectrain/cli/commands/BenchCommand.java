package org.vectrain.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.report.Table;
import org.vectrain.cli.report.Tables;
import org.vectrain.engine.InputException;
import org.vectrain.engine.bench.EpochBenchmark;
import org.vectrain.engine.bench.MachineLimits;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.simd.KernelProvider;
import org.vectrain.engine.simd.Kernels;
import org.vectrain.engine.train.RunEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vectrain bench}: times whole epochs on the real data and sets them against the machine's
 * limits, measured in the same command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time whole epochs (training pass + evaluation of the training, validation and test sets) "
                + "on the real data, medians after warm-up, and compare them with this machine's peak FMA "
                + "throughput and memory bandwidth, measured in the same run."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    DataOptions dataOptions;

    @Mixin
    RunOptions runOptions;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "100", description = "n_batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "7",
            description = "Measured epochs; the median is reported (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10",
            description = "Warm-up epochs, not counted, at least; warm-up then goes on until the JIT has compiled "
                    + "nothing for " + EpochBenchmark.QUIET_EPOCHS + " epochs (at most "
                    + EpochBenchmark.MAX_EXTRA_WARMUP + " more). 0: none at all, epochs timed from a cold start "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--phases", description = "Also time the phases of every training step in the measured "
            + "epochs (forward product, serial softmax, update; each column part's busy time) and print their "
            + "medians in µs per step (JSON: step_us).")
    boolean phases;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (batch < 1) {
            throw new InputException("--batch: " + batch + " must be at least 1");
        }
        if (epochs < 1 || epochs > 1000) {
            throw new InputException("--epochs: " + epochs + " must be in 1..1000");
        }
        if (warmup < 0 || warmup > 1000) {
            throw new InputException("--warmup: " + warmup + " must be in 0..1000");
        }
        int threads = runOptions.threads();
        Kernels kernels = KernelProvider.kernels();
        PreparedData data = dataOptions.loadWhileWarmingUp(kernels);
        if (batch > data.train().size()) {
            throw new InputException("--batch: " + batch + " is larger than the training set (" + data.train().size()
                    + " images)");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (!json && !runOptions.quiet) {
            out.printf(Locale.ROOT, "vectrain bench: %s split, %d training images, n_batch %d, median of %d epochs "
                    + "after at least %d warm-up; %s, %d threads%n", data.split().id(), data.train().size(), batch,
                    epochs, warmup, kernels.description(), threads);
            out.flush();
        }
        EpochBenchmark.Result r = EpochBenchmark.run(kernels, threads, data.train(), data.validation(), data.test(),
                batch, warmup, epochs, phases);
        MachineLimits limits = MachineLimits.measure(threads);
        // The epoch's speed of light: training at peak FMA; evaluation at the slower of peak FMA and
        // streaming every image once at full bandwidth.
        double trainLimitMs = r.trainFlops() / limits.peakGflops() / 1e6;
        double evalLimitMs = Math.max(r.evalFlops() / limits.peakGflops() / 1e6,
                r.evalBytes() / limits.bandwidthGbs() / 1e6);
        double limitMs = trainLimitMs + evalLimitMs;
        RunEnvironment env = RunEnvironment.current(kernels.description(), threads);
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("train_ms", round(r.trainMillis()));
            o.put("eval_ms", round(r.evalMillis()));
            o.put("epoch_ms", round(r.epochMillis()));
            o.put("threads", threads);
            o.put("peak_gflops", round(limits.peakGflops()));
            o.put("peak_gflops_one_thread", round(limits.peakGflopsOneThread()));
            o.put("bandwidth_gbs", round(limits.bandwidthGbs()));
            o.put("bandwidth_gbs_one_thread", round(limits.bandwidthGbsOneThread()));
            o.put("train_gflops", round(r.trainGflops()));
            o.put("eval_gflops", round(r.evalGflops()));
            o.put("eval_gbs", round(r.evalGbs()));
            o.put("limit_ms", round(limitMs));
            o.put("epoch_over_limit", round(r.epochMillis() / limitMs));
            o.put("n_train", data.train().size());
            o.put("n_eval", data.train().size() + data.validation().size() + data.test().size());
            o.put("batch", batch);
            o.put("epochs", epochs);
            o.put("warmup_epochs", r.warmupEpochs());
            o.put("jit_quiet", r.jitQuiet());
            o.put("statistic", "median");
            if (r.phases() != null) {
                EpochBenchmark.StepPhases p = r.phases();
                ObjectNode step = o.putObject("step_us");
                step.put("step", round(p.step()));
                step.put("forward", round(p.forward()));
                step.put("serial", round(p.serial()));
                step.put("update", round(p.update()));
                ArrayNode forwardParts = step.putArray("forward_parts");
                ArrayNode updateParts = step.putArray("update_parts");
                for (int part = 0; part < p.forwardParts().length; part++) {
                    forwardParts.add(round(p.forwardParts()[part]));
                    updateParts.add(round(p.updateParts()[part]));
                }
            }
            o.put("kernels", env.kernels());
            o.put("jdk", env.jdk());
            o.put("cpu", env.cpu());
            out.println(o);
        } else {
            Table table = Table.builder("pass", "ms per epoch", "work", "achieved", "limit", "of the limit")
                    .row("training", fmt(r.trainMillis()), fmt(r.trainFlops() / 1e9) + " GFLOP",
                            fmt(r.trainGflops()) + " GFLOP/s", fmt(trainLimitMs) + " ms",
                            percent(trainLimitMs / r.trainMillis()))
                    .row("evaluation (3 sets)", fmt(r.evalMillis()), fmt(r.evalFlops() / 1e9) + " GFLOP, "
                            + fmt(r.evalBytes() / 1e6) + " MB", fmt(r.evalGflops()) + " GFLOP/s, " + fmt(r.evalGbs())
                            + " GB/s", fmt(evalLimitMs) + " ms", percent(evalLimitMs / r.evalMillis()))
                    .row("epoch", fmt(r.epochMillis()), "", "", fmt(limitMs) + " ms", percent(limitMs / r.epochMillis()))
                    .build();
            out.printf(Locale.ROOT, "machine limits, measured now: peak FMA %.1f GFLOP/s (%.1f on one thread), "
                    + "streaming read %.1f GB/s (%.1f on one thread)%n%n", limits.peakGflops(),
                    limits.peakGflopsOneThread(), limits.bandwidthGbs(), limits.bandwidthGbsOneThread());
            out.print(Tables.toMarkdown(table));
            out.printf(Locale.ROOT, "%nepoch: %.2f ms, %.2fx the machine's limit of %.2f ms%n", r.epochMillis(),
                    r.epochMillis() / limitMs, limitMs);
            if (r.phases() != null) {
                printPhases(out, r.phases(), batch);
            }
            out.printf(Locale.ROOT, "medians of %d epochs after %d warm-up epochs (%s)%n", r.epochs(),
                    r.warmupEpochs(), r.warmupEpochs() == 0 ? "none asked"
                            : r.jitQuiet() ? "the JIT compiled nothing in the last " + EpochBenchmark.QUIET_EPOCHS
                                    : "the JIT was not yet quiet");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The step's phases as a table: wall time of each, and each column part's busy time inside it. */
    private static void printPhases(PrintWriter out, EpochBenchmark.StepPhases p, int batch) {
        Table table = Table.builder("phase of a training step", "µs per step", "column parts busy, µs")
                .row("forward product (parallel)", fmt(p.forward()), parts(p.forwardParts()))
                .row("scores added, softmax, G transposed (serial)", fmt(p.serial()), "")
                .row("gradient, update, refold (parallel)", fmt(p.update()), parts(p.updateParts()))
                .row("whole step", fmt(p.step()), "")
                .build();
        out.printf(Locale.ROOT, "%ntraining step of n_batch %d, medians over the measured epochs of each epoch's "
                + "mean:%n%n", batch);
        out.print(Tables.toMarkdown(table));
    }

    private static String parts(double[] micros) {
        StringBuilder text = new StringBuilder();
        for (double v : micros) {
            text.append(text.length() == 0 ? "" : ", ").append(fmt(v));
        }
        return text.toString();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * fraction);
    }
}
