package org.vectrain.cli.commands;

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
import java.util.stream.Collectors;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.bench.NumpyBaseline;
import org.vectrain.cli.bench.WallBenchmark;
import org.vectrain.cli.report.Table;
import org.vectrain.cli.report.Tables;
import org.vectrain.engine.InputException;
import org.vectrain.engine.bench.EpochBenchmark;
import org.vectrain.engine.bench.MachineLimits;
import org.vectrain.engine.bench.TwoLayerEpochBenchmark;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.PreparedData;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.train.RunEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vectrain bench}: times whole epochs on the real data and sets them against the machine's
 * limits, measured in the same command.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time whole epochs (training pass + evaluation of the training, validation and test sets) "
                + "on the real data, medians after warm-up, and compare them with this machine's peak FMA "
                + "throughput and memory bandwidth, measured in the same run."})
public final class BenchCommand implements Callable<Integer> {
    /** Epochs numpy times per run (after its own warm-up epoch); its median is taken. */
    static final int NUMPY_EPOCHS = 5;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    RunOptions runOptions;

    @Option(names = {"--batch", "--n_batch"}, paramLabel = "N", defaultValue = "100",
            description = "n_batch (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--hidden", paramLabel = "M",
            description = "Time the two-layer network with a ReLU hidden layer of M units instead of the one-layer "
                    + "model (its evaluation runs after each training pass; with --numpy, numpy's same network).")
    Integer hidden;

    @Option(names = "--sequential", description = "Evaluate each epoch's model before the next training pass "
            + "starts, instead of beside it (on one of the threads, as train does); then an epoch is the two passes' "
            + "sum.")
    boolean sequential;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--phases", description = "Also time the phases of every training step in the measured "
            + "epochs (forward product, serial softmax, update; each column part's busy time) and print their "
            + "medians in µs per step (JSON: step_us). While an epoch's evaluation runs beside the next training "
            + "pass, that pass's steps run on one thread: add --sequential to see two-thread steps.")
    boolean phases;

    @Option(names = "--numpy", paramLabel = "FILE",
            description = "Also time the numpy baseline (numpy_epoch.py, e.g. ../shared/bench/numpy_epoch.py) in "
                    + "every round, right after vectrain's epochs, run as its header says for the fastest numpy "
                    + "(OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset; OPENBLAS_NUM_THREADS=1, then as many as "
                    + "--threads), and report how many times faster vectrain's median round is than numpy's "
                    + "fastest run.")
    Path numpy;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "python3",
            description = "Python that runs --numpy (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Rounds of the whole measurement in this process (vectrain's epochs, the machine's "
                    + "limits, numpy with --numpy); the median round is reported, for an even count the faster "
                    + "middle one (default: 3 with --numpy, else 1).")
    Integer rounds;

    @Option(names = "--wall", description = "Instead of epochs in this process, time whole processes as a user waits "
            + "for them: the suite, a 40-epoch train and a 1-epoch suite, each started afresh --rounds times (default "
            + WALL_ROUNDS + "), in turn; print min, median and max wall time and the phases of each median run. "
            + "Through the ./vectrain launcher when it started this bench.")
    boolean wall;

    @Spec
    CommandSpec spec;

    /** Rounds of --wall unless --rounds says otherwise. */
    static final int WALL_ROUNDS = 3;
    /** Options that set up the epochs this process times, which --wall does not time. */
    private static final List<String> NOT_WITH_WALL = List.of("--batch", "--epochs", "--warmup", "--sequential",
            "--hidden",
            "--phases", "--numpy", "--python", "--split", "--val-size", "--max-records");

    /**
     * One round: vectrain's epochs, the limits measured after them, and numpy's runs (empty without --numpy):
     * one OpenBLAS thread, then as many as vectrain's threads when that is more.
     */
    private record Round(EpochBenchmark.Result result, MachineLimits limits, List<NumpyBaseline.Epoch> numpyRuns) {
        double limitMillis() {
            return limits.epochLimitMillis(result);
        }

        /** The round's faster numpy run; null without --numpy. */
        NumpyBaseline.Epoch numpy() {
            return numpyRuns.stream().min(Comparator.comparingDouble(NumpyBaseline.Epoch::epochMillis)).orElse(null);
        }
    }

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
        if (hidden != null && (hidden < 1 || hidden > TwoLayerModel.MAX_HIDDEN)) {
            throw new InputException("--hidden: " + hidden + " must be in 1.." + TwoLayerModel.MAX_HIDDEN);
        }
        if (hidden != null && phases) {
            throw new InputException("--phases: times the one-layer step's phases; not with --hidden");
        }
        if (wall) {
            return timeWholeProcesses();
        }
        int roundCount = rounds != null ? rounds : numpy != null ? 3 : 1;
        if (roundCount < 1 || roundCount > 100) {
            throw new InputException("--rounds: " + roundCount + " must be in 1..100");
        }
        NumpyBaseline baseline = numpy == null ? null : NumpyBaseline.of(python, numpy);
        if (baseline != null) {
            baseline.check();
        }
        int threads = runOptions.threads();
        Kernels kernels = KernelProvider.kernels();
        CifarSource source = dataOptions.source();
        PreparedData data = dataOptions.loadWhileWarmingUp(kernels, source);
        if (batch > data.train().size()) {
            throw new InputException("--batch: " + batch + " is larger than the training set (" + data.train().size()
                    + " images)");
        }
        int evaluated = data.train().size() + data.validation().size() + data.test().size();
        PrintWriter out = spec.commandLine().getOut();
        RunEnvironment env = RunEnvironment.current(kernels.description(), threads);
        if (!json && !runOptions.quiet) {
            out.printf(Locale.ROOT, "vectrain bench%s: %s split, %d training images, n_batch %d, median of %d epochs "
                    + "after at least %d warm-up; %s, %d threads on %s%s%n", hidden == null ? ""
                            : " (two-layer network, " + hidden + " hidden units)", data.split().id(), data.train().size(),
                    batch, epochs, warmup, kernels.description(), threads, env.cpu(), roundCount == 1 ? ""
                            : "; " + roundCount + " rounds" + (baseline == null ? "" : ", each followed by numpy"));
            out.flush();
        }
        List<Round> done = new ArrayList<>(roundCount);
        for (int round = 0; round < roundCount; round++) {
            EpochBenchmark.Result r = hidden == null
                    ? EpochBenchmark.run(kernels, threads, data.train(), data.validation(), data.test(), batch, warmup,
                            epochs, phases, !sequential)
                    : TwoLayerEpochBenchmark.run(KernelProvider.twoLayerKernels(), kernels.softmaxLoss(),
                            threads, data.train(), data.validation(), data.test(), hidden, batch, warmup, epochs);
            MachineLimits limits = MachineLimits.measure(threads);
            // vectrain first, then numpy, one after the other, so that neither is timed while the other runs
            List<NumpyBaseline.Epoch> numpyRuns = new ArrayList<>();
            if (baseline != null) {
                for (int blasThreads : threads > 1 ? List.of(1, threads) : List.of(1)) {
                    numpyRuns.add(baseline.run(data.train().size(), batch, NUMPY_EPOCHS, source.folder(), blasThreads,
                            hidden == null ? 0 : hidden).scaledTo(evaluated));
                }
            }
            done.add(new Round(r, limits, numpyRuns));
            if (roundCount > 1 && !json && !runOptions.quiet) {
                out.printf(Locale.ROOT, "round %d of %d: vectrain %.2f ms per epoch%s%n", round + 1, roundCount,
                        r.epochMillis(), numpyRuns.isEmpty() ? "" : ", numpy " + numpyRunsText(numpyRuns));
                out.flush();
            }
        }
        List<Round> byEpoch = new ArrayList<>(done);
        byEpoch.sort(Comparator.comparingDouble(each -> each.result().epochMillis()));
        Round median = byEpoch.get((byEpoch.size() - 1) / 2);
        NumpyBaseline.Epoch fastestNumpy = baseline == null ? null : done.stream().map(Round::numpy)
                .min(Comparator.comparingDouble(NumpyBaseline.Epoch::epochMillis)).orElseThrow();
        EpochBenchmark.Result r = median.result();
        MachineLimits limits = median.limits();
        double trainLimitMs = limits.trainLimitMillis(r);
        double evalLimitMs = limits.evalLimitMillis(r);
        double limitMs = median.limitMillis();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            if (hidden != null) {
                o.put("hidden", hidden.intValue());
            }
            o.put("train_ms", round(r.trainMillis()));
            o.put("eval_ms", round(r.evalMillis()));
            o.put("epoch_ms", round(r.epochMillis()));
            o.put("threads", threads);
            o.put("overlapped", r.overlapped());
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
            o.put("n_eval", evaluated);
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
            if (roundCount > 1 || baseline != null) {
                o.put("median_round", done.indexOf(median) + 1);
                ArrayNode list = o.putArray("rounds");
                for (Round each : done) {
                    ObjectNode item = list.addObject();
                    item.put("train_ms", round(each.result().trainMillis()));
                    item.put("eval_ms", round(each.result().evalMillis()));
                    item.put("epoch_ms", round(each.result().epochMillis()));
                    item.put("limit_ms", round(each.limitMillis()));
                    item.put("epoch_over_limit", round(each.result().epochMillis() / each.limitMillis()));
                    if (each.numpy() != null) {
                        item.put("numpy_train_ms", round(each.numpy().trainMillis()));
                        item.put("numpy_eval_ms", round(each.numpy().evalMillis()));
                        item.put("numpy_epoch_ms", round(each.numpy().epochMillis()));
                        item.put("numpy_threads", each.numpy().threads());
                        ArrayNode runs = item.putArray("numpy_runs");
                        for (NumpyBaseline.Epoch run : each.numpyRuns()) {
                            ObjectNode one = runs.addObject();
                            one.put("threads", run.threads());
                            one.put("train_ms", round(run.trainMillis()));
                            one.put("eval_ms", round(run.evalMillis()));
                            one.put("epoch_ms", round(run.epochMillis()));
                        }
                    }
                }
            }
            if (fastestNumpy != null) {
                ObjectNode n = o.putObject("numpy");
                n.put("fastest_epoch_ms", round(fastestNumpy.epochMillis()));
                n.put("speedup", round(fastestNumpy.epochMillis() / r.epochMillis()));
                n.put("data", fastestNumpy.realData() ? "real" : "gaussian");
                n.put("n_train", fastestNumpy.n());
                n.put("n_eval_scaled_to", evaluated);
                n.put("n_eval_own", fastestNumpy.n() + NumpyBaseline.EXTRA_EVALUATED);
                n.put("openblas_core", fastestNumpy.openblasCore());
                n.put("threads", fastestNumpy.threads());
                ArrayNode tried = n.putArray("threads_tried");
                done.get(0).numpyRuns().forEach(run -> tried.add(run.threads()));
                n.put("script", numpy.toString());
            }
            o.put("kernels", env.kernels());
            o.put("jdk", env.jdk());
            o.put("cpu", env.cpu());
            out.println(o);
        } else {
            Table table = Table.builder("pass", "ms per epoch", "work", "achieved", "limit", "of the limit")
                    .row(r.overlapped() ? "training (beside evaluation)" : "training", fmt(r.trainMillis()), fmt(r.trainFlops() / 1e9) + " GFLOP",
                            fmt(r.trainGflops()) + " GFLOP/s", fmt(trainLimitMs) + " ms",
                            percent(trainLimitMs / r.trainMillis()))
                    .row(r.overlapped() ? "evaluation (3 sets, beside training)" : "evaluation (3 sets)", fmt(r.evalMillis()), fmt(r.evalFlops() / 1e9) + " GFLOP, "
                            + fmt(r.evalBytes() / 1e6) + " MB", fmt(r.evalGflops()) + " GFLOP/s, " + fmt(r.evalGbs())
                            + " GB/s", fmt(evalLimitMs) + " ms", percent(evalLimitMs / r.evalMillis()))
                    .row("epoch", fmt(r.epochMillis()), "", "", fmt(limitMs) + " ms", percent(limitMs / r.epochMillis()))
                    .build();
            if (roundCount > 1) {
                out.printf(Locale.ROOT, "the median round (%d of %d):%n", done.indexOf(median) + 1, roundCount);
            }
            out.printf(Locale.ROOT, "machine limits, measured now: peak FMA %.1f GFLOP/s (%.1f on one thread), "
                    + "streaming read %.1f GB/s (%.1f on one thread)%n%n", limits.peakGflops(),
                    limits.peakGflopsOneThread(), limits.bandwidthGbs(), limits.bandwidthGbsOneThread());
            out.print(Tables.toText(table));
            out.printf(Locale.ROOT, "%nepoch: %.2f ms, %.2fx the machine's limit of %.2f ms%n", r.epochMillis(),
                    r.epochMillis() / limitMs, limitMs);
            if (r.overlapped()) {
                out.printf(Locale.ROOT, "each epoch's evaluation ran on one thread beside the next training pass, "
                        + "whose steps had the other thread until it was done;%nan epoch is the time from the end of "
                        + "one evaluation to the end of the next, not the two passes' sum (--sequential: in turn)%n");
            }
            if (r.phases() != null) {
                printPhases(out, r.phases(), batch);
            }
            out.printf(Locale.ROOT, "medians of %d epochs after %d warm-up epochs (%s)%n", r.epochs(),
                    r.warmupEpochs(), r.warmupEpochs() == 0 ? "none asked"
                            : r.jitQuiet() ? "the JIT compiled nothing in the last " + EpochBenchmark.QUIET_EPOCHS
                                    : "the JIT was not yet quiet");
            if (roundCount > 1 || baseline != null) {
                printRounds(out, done, fastestNumpy, r, evaluated);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** {@code --wall}: the standard workloads as whole processes, their wall times and phases. */
    private int timeWholeProcesses() {
        var parsed = spec.commandLine().getParseResult();
        for (String option : NOT_WITH_WALL) {
            if (parsed.hasMatchedOption(option)) {
                throw new InputException("--wall: times whole processes with their own settings; " + option
                        + " does not apply to it");
            }
        }
        int roundCount = rounds != null ? rounds : WALL_ROUNDS;
        if (roundCount < 1 || roundCount > 100) {
            throw new InputException("--rounds: " + roundCount + " must be in 1..100");
        }
        List<String> common = new ArrayList<>();
        // the data is checked here, so that a missing folder is reported before any child starts
        dataOptions.source();
        if (dataOptions.dataOption.data != null) {
            common.addAll(List.of("--data", dataOptions.dataOption.data));
        }
        if (runOptions.threads != null) {
            common.addAll(List.of("--threads", Integer.toString(runOptions.threads())));
        }
        List<String> launch = WallBenchmark.launchCommand();
        List<WallBenchmark.Workload> workloads = WallBenchmark.standardWorkloads();
        PrintWriter out = spec.commandLine().getOut();
        RunEnvironment env = RunEnvironment.current(KernelProvider.kernels().description(), runOptions.threads());
        if (!json && !runOptions.quiet) {
            out.printf(Locale.ROOT, "vectrain bench --wall: %d rounds of %s, each a whole process started with '%s'; "
                    + "CPU %s, JDK %s%n", roundCount, workloads.stream().map(WallBenchmark.Workload::name)
                            .collect(Collectors.joining(", ")), String.join(" ", launch), env.cpu(),
                    env.jdk());
            out.flush();
        }
        List<WallBenchmark.Run> runs = new WallBenchmark(launch, common).run(workloads, roundCount, run -> {
            if (!json && !runOptions.quiet) {
                out.printf(Locale.ROOT, "round %d: %s %.2f s%n", run.round(), run.workload().name(), run.wallSeconds());
                out.flush();
            }
        });
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("launch", String.join(" ", launch));
            o.put("rounds", roundCount);
            ArrayNode list = o.putArray("workloads");
            for (WallBenchmark.Workload workload : workloads) {
                List<WallBenchmark.Run> own = runs.stream().filter(r -> r.workload() == workload).toList();
                ObjectNode item = list.addObject();
                item.put("name", workload.name());
                item.put("min_s", round(own.stream().mapToDouble(WallBenchmark.Run::wallSeconds).min().orElseThrow()));
                item.put("median_s", round(WallBenchmark.median(own).wallSeconds()));
                item.put("max_s", round(own.stream().mapToDouble(WallBenchmark.Run::wallSeconds).max().orElseThrow()));
                ArrayNode walls = item.putArray("wall_s");
                own.forEach(r -> walls.add(round(r.wallSeconds())));
                item.set("median_run_timings", WallBenchmark.median(own).timings());
            }
            o.put("kernels", env.kernels());
            o.put("jdk", env.jdk());
            o.put("cpu", env.cpu());
            out.println(o);
            out.flush();
            return ExitCodes.OK;
        }
        Table.Builder table = Table.builder("process", "min, s", "median, s", "max, s", "CPU of the median, s",
                "idle cores in it");
        for (WallBenchmark.Workload workload : workloads) {
            List<WallBenchmark.Run> own = runs.stream().filter(r -> r.workload() == workload).toList();
            WallBenchmark.Run median = WallBenchmark.median(own);
            double cpu = median.timings().path("cpu_s").asDouble(Double.NaN);
            double idle = median.timings().path("idle_core_s").asDouble(Double.NaN);
            double coreSeconds = cpu + idle;
            table.row(workload.name(), fmt(own.stream().mapToDouble(WallBenchmark.Run::wallSeconds).min().orElseThrow()),
                    fmt(median.wallSeconds()), fmt(own.stream().mapToDouble(WallBenchmark.Run::wallSeconds).max()
                            .orElseThrow()), fmt(cpu), percent(idle / coreSeconds));
        }
        out.println();
        out.print(Tables.toText(table.build()));
        for (WallBenchmark.Workload workload : workloads) {
            WallBenchmark.Run median = WallBenchmark.median(runs.stream().filter(r -> r.workload() == workload)
                    .toList());
            Table.Builder phases = Table.builder("phase", "start, s", "took, s", "thread");
            for (var phase : median.timings().path("phases")) {
                phases.row(phase.path("name").asText(), String.format(Locale.ROOT, "%.3f",
                        phase.path("start_s").asDouble()), String.format(Locale.ROOT, "%.3f", phase.path("s")
                                .asDouble()), phase.path("thread").asText());
            }
            out.printf(Locale.ROOT, "%nphases of the median %s (round %d, %.2f s), from its JVM's start:%n%n",
                    workload.name(), median.round(), median.wallSeconds());
            out.print(Tables.toText(phases.build()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** numpy's runs of one round, e.g. {@code 1 thread 115.25 ms, 2 threads 98.10 ms}. */
    private static String numpyRunsText(List<NumpyBaseline.Epoch> runs) {
        List<String> parts = new ArrayList<>();
        for (NumpyBaseline.Epoch run : runs) {
            parts.add(ProgressDisplay.count(run.threads(), "thread") + " " + fmt(run.epochMillis()) + " ms");
        }
        return String.join(", ", parts);
    }

    /** Every round, then the median round against numpy's fastest run when numpy ran. */
    private static void printRounds(PrintWriter out, List<Round> done, NumpyBaseline.Epoch fastestNumpy,
            EpochBenchmark.Result median, int evaluated) {
        Table.Builder rows = fastestNumpy == null
                ? Table.builder("round", "vectrain epoch, ms", "against its limit")
                : Table.builder("round", "vectrain epoch, ms", "against its limit", "numpy epoch, ms (training + "
                        + "evaluation) per OpenBLAS thread count");
        for (int i = 0; i < done.size(); i++) {
            Round each = done.get(i);
            String epoch = fmt(each.result().epochMillis());
            String ratio = String.format(Locale.ROOT, "%.2fx", each.result().epochMillis() / each.limitMillis());
            if (each.numpy() == null) {
                rows.row(Integer.toString(i + 1), epoch, ratio);
            } else {
                List<String> runs = new ArrayList<>();
                for (NumpyBaseline.Epoch run : each.numpyRuns()) {
                    runs.add(ProgressDisplay.count(run.threads(), "thread") + ": " + fmt(run.epochMillis()) + " ("
                            + fmt(run.trainMillis()) + " + " + fmt(run.evalMillis()) + ")");
                }
                rows.row(Integer.toString(i + 1), epoch, ratio, String.join("; ", runs));
            }
        }
        out.printf(Locale.ROOT, "%nrounds in this process%s:%n%n", fastestNumpy == null ? ""
                : ", each vectrain's epochs, the limits, then numpy");
        out.print(Tables.toText(rows.build()));
        if (fastestNumpy == null) {
            return;
        }
        int own = fastestNumpy.n() + NumpyBaseline.EXTRA_EVALUATED;
        out.printf(Locale.ROOT, "%nnumpy: %d training images (%s), OpenBLAS %s, fastest with %s%s%n", fastestNumpy.n(),
                fastestNumpy.realData() ? "real" : "Gaussian data of the same shape", fastestNumpy.openblasCore(),
                ProgressDisplay.count(fastestNumpy.threads(), "thread"),
                own == evaluated ? ""
                        : String.format(Locale.ROOT, "; its evaluation of %d images scaled to the %d vectrain "
                                + "evaluates", own, evaluated));
        out.printf(Locale.ROOT, "vectrain's median round %.2f ms against numpy's fastest %.2f ms: %.2fx faster%n",
                median.epochMillis(), fastestNumpy.epochMillis(), fastestNumpy.epochMillis() / median.epochMillis());
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
        out.print(Tables.toText(table));
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
