package org.vectrain.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.vectrain.engine.kernels.Affine;
import org.vectrain.engine.kernels.Columns;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.QuadSource;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.ScoreTile;
import org.vectrain.engine.kernels.StepTarget;
import org.vectrain.engine.layout.SampleBlocks;
import org.vectrain.engine.layout.SampleQuads;

/**
 * The GEMMs of the model on one core, SIMD against scalar, all reading the pixels as bytes, each
 * 2 K D n flops unless said: forward scores of a batch (K x D times D x n, sample-major rows), the
 * training step's share of it on half the columns ({@code partialScores}, K D n flops), block scores
 * (the same product on the dimension-major {@link SampleBlocks}, the evaluation pass; n is rounded up to
 * whole blocks of 32), the training step's share on the batch's {@link SampleQuads} ({@code quadScores}, K D n
 * flops, as the step runs it on batches in order; the vector quad kernels need 16-lane vectors and refuse
 * others), the weight gradient (K x n times n x D, stored: {@code gradientPart}, which the training step
 * runs strip by strip; {@code quadGradient} on the quads), and the update from it with the refold
 * ({@code stepFromGradient}, counted as the elementwise pass it is: its flops are not counted).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"10", "100", "200", "103"})
    public int batch;

    @Param({"vector", "scalar"})
    public String kernels;

    private KernelFixture data;
    private Kernels k;
    private float[] s;
    /** G transposed, n x K, as the gradient kernels read it. */
    private float[] gT;
    private float[] gSum;
    private float[] w;
    private long flops;
    private SampleBlocks blocks;
    private float[] wTransposed;
    private float[] blockS;
    private float[] gradient;
    private float[] folded;
    private float[] shifts;
    private SampleQuads quads;
    /** The kernels' argument records, made once here so that the measured methods allocate nothing. */
    private FoldedWeights weights;
    private FoldedWeights unbiased;
    private FoldedWeights transposed;
    private RowSource images;
    private ScoreTile scores;
    private Columns allColumns;
    private Columns secondHalf;
    private QuadSource[] quadPlanes;
    private Columns[] quadColumns;
    private Affine affine;
    private StepTarget target;

    @Setup
    public void setUp() {
        data = new KernelFixture();
        k = KernelFixture.kernels(kernels);
        System.out.println("kernels: " + k.description());
        s = new float[KernelFixture.CLASSES * batch];
        gT = new float[KernelFixture.CLASSES * batch];
        gSum = new float[KernelFixture.CLASSES];
        for (int i = 0; i < gT.length; i++) {
            gT[i] = (i % 7 - 3) * 1e-3f;
            gSum[i % KernelFixture.CLASSES] += gT[i];
        }
        w = data.w.clone();
        flops = 2L * KernelFixture.CLASSES * KernelFixture.DIM * batch;
        blocks = SampleBlocks.relayout(data.q, batch, KernelFixture.DIM);
        wTransposed = new float[w.length];
        for (int kk = 0; kk < KernelFixture.CLASSES; kk++) {
            for (int d = 0; d < KernelFixture.DIM; d++) {
                wTransposed[d * KernelFixture.CLASSES + kk] = data.w[kk * KernelFixture.DIM + d];
            }
        }
        quads = SampleQuads.relayout(data.q, batch, KernelFixture.DIM,
                new int[] {0, KernelFixture.DIM / 2, KernelFixture.DIM});
        blockS = new float[KernelFixture.CLASSES * blocks.blocks() * SampleBlocks.BLOCK];
        gradient = new float[w.length];
        folded = new float[w.length];
        shifts = new float[KernelFixture.DIM * KernelFixture.CLASSES];
        weights = new FoldedWeights(data.w, data.b, KernelFixture.CLASSES, KernelFixture.DIM);
        unbiased = new FoldedWeights(data.w, null, KernelFixture.CLASSES, KernelFixture.DIM);
        transposed = new FoldedWeights(wTransposed, data.b, KernelFixture.CLASSES, KernelFixture.DIM);
        images = RowSource.whole(data.q, KernelFixture.DIM, data.rows);
        scores = new ScoreTile(s, 0, batch);
        allColumns = Columns.all(KernelFixture.DIM);
        secondHalf = new Columns(KernelFixture.DIM / 2, KernelFixture.DIM, KernelFixture.DIM);
        quadPlanes = new QuadSource[quads.planes()];
        quadColumns = new Columns[quads.planes()];
        for (int part = 0; part < quads.planes(); part++) {
            quadPlanes[part] = new QuadSource(quads.plane(part), quads.width(part), quads.firstColumn(part));
            quadColumns[part] = new Columns(quads.firstColumn(part), quads.firstColumn(part) + quads.columns(part),
                    KernelFixture.DIM);
        }
        affine = new Affine(data.a, data.c);
        target = new StepTarget(KernelFixture.CLASSES, w, null, folded, shifts, 256);
    }

    @Benchmark
    public float[] forwardScores(FlopCounter counter) {
        k.forwardScores(weights, images, 0, batch, scores);
        counter.add(flops);
        return s;
    }

    @Benchmark
    public float[] partialScores(FlopCounter counter) {
        k.partialScores(unbiased, secondHalf, images, 0, batch, scores);
        counter.add(flops / 2);
        return s;
    }

    @Benchmark
    public float[] quadScores(FlopCounter counter) {
        k.quadScores(unbiased, secondHalf, quadPlanes[1], 0, batch, scores);
        counter.add(flops / 2);
        return s;
    }

    @Benchmark
    public float[] blockScores(FlopCounter counter) {
        int columns = blocks.blocks() * SampleBlocks.BLOCK;
        k.blockScores(transposed, blocks.values(), 0, blocks.blocks(), blockS, columns);
        counter.add(2L * KernelFixture.CLASSES * KernelFixture.DIM * columns);
        return blockS;
    }

    @Benchmark
    public float[] gradientPart(FlopCounter counter) {
        k.gradientPart(gT, KernelFixture.CLASSES, 0, batch, images, 0, gradient, allColumns);
        counter.add(flops);
        return gradient;
    }

    @Benchmark
    public float[] quadGradient(FlopCounter counter) {
        for (int part = 0; part < quads.planes(); part++) {
            k.quadGradient(gT, KernelFixture.CLASSES, batch, quadPlanes[part], data.rows, 0, gradient,
                    quadColumns[part]);
        }
        counter.add(flops);
        return gradient;
    }

    @Benchmark
    public float[] stepFromGradient() {
        k.stepFromGradient(gradient, gSum, affine, target, 0.02f, -1e-6f, allColumns);
        return w;
    }
}
