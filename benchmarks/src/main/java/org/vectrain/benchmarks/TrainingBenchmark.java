package org.vectrain.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.SyntheticData;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.SgdStep;

/**
 * The fused training step (one mini-batch: fold, forward, softmax-CE, gradient and update), an
 * evaluation pass over 10,000 images, and a whole epoch (the training pass over 10,000 images plus
 * evaluation of three sets of 10,000; the two in turn, and overlapped), SIMD against scalar, on 1 and 2
 * threads.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainingBenchmark {
    static final int IMAGES = 10_000;

    @Param({"10", "100", "200", "103"})
    public int batch;

    @Param({"vector", "scalar"})
    public String kernels;

    @Param({"1", "2"})
    public int threads;

    private DataSet set;
    /** The epoch's three evaluated sets: the benchmark's set three times over, as large as the real ones. */
    private List<DataSet> threeSets;
    private SoftmaxModel model;
    private int[] rows;
    private WorkerPool pool;
    private SgdStep step;
    private Evaluator evaluator;
    /** The copy of the model the epoch before this one left, being evaluated aside. */
    private SoftmaxModel evaluated;
    private int next;

    @Setup
    public void setUp() {
        set = SyntheticData.of("benchmark", IMAGES, KernelFixture.DIM, KernelFixture.CLASSES, KernelFixture.SEED);
        threeSets = List.of(set, set, set);
        model = SoftmaxModel.gaussian(KernelFixture.CLASSES, KernelFixture.DIM, new RandomStreams(1).init(), false);
        rows = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            rows[i] = i;
        }
        Kernels k = KernelFixture.kernels(kernels);
        System.out.println("kernels: " + k.description() + ", " + threads + " threads");
        pool = new WorkerPool(threads);
        step = new SgdStep(k, pool, KernelFixture.CLASSES, KernelFixture.DIM, batch);
        evaluator = new Evaluator(k, pool, KernelFixture.CLASSES);
        evaluated = model.copy();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (evaluator.runsAside()) {
            evaluator.finishAside();
        }
        pool.close();
    }

    /** One mini-batch step; successive calls walk through the set as an epoch does. 4 K D n flops. */
    @Benchmark
    public double trainStep(FlopCounter counter) {
        if (next + batch > IMAGES) {
            next = 0;
        }
        double loss = step.step(model, set, rows, next, batch, 1e-4, 0.1);
        next += batch;
        counter.add(4L * KernelFixture.CLASSES * KernelFixture.DIM * batch);
        return loss;
    }

    /** Loss, cost and accuracy over 10,000 images (independent of batch). 2 K D N flops. */
    @Benchmark
    public Evaluation evaluationPass(FlopCounter counter) {
        counter.add(2L * KernelFixture.CLASSES * KernelFixture.DIM * IMAGES);
        return evaluator.evaluate(model, set, 0.1, null);
    }

    /** A whole epoch: the training pass over 10,000 images, then evaluation of three sets of 10,000. */
    @Benchmark
    public Evaluation epoch(FlopCounter counter) {
        for (int from = 0; from < IMAGES; from += batch) {
            step.step(model, set, rows, from, Math.min(batch, IMAGES - from), 1e-4, 0.1);
        }
        counter.add((4L + 6L) * KernelFixture.CLASSES * KernelFixture.DIM * IMAGES);
        // one pass over the three sets, as vectrain bench and the trainer evaluate
        return evaluator.evaluate(model, threeSets, 0.1)[2];
    }

    /**
     * A whole epoch as vectrain trains at 2 threads: the training pass, while one worker evaluates the
     * previous epoch's model on the three sets; then that evaluation's end (the caller takes its last
     * chunks) and this epoch's start. In steady state one call is one epoch. At 1 thread, as {@link #epoch}.
     */
    @Benchmark
    public Evaluation epochOverlapped(FlopCounter counter) {
        if (threads < 2) {
            return epoch(counter);
        }
        for (int from = 0; from < IMAGES; from += batch) {
            step.step(model, set, rows, from, Math.min(batch, IMAGES - from), 1e-4, 0.1);
        }
        counter.add((4L + 6L) * KernelFixture.CLASSES * KernelFixture.DIM * IMAGES);
        Evaluation last = evaluator.runsAside() ? evaluator.finishAside()[2] : null;
        evaluated.copyFrom(model);
        evaluator.startAside(evaluated, threeSets, 0.1);
        return last;
    }
}
