package org.vectrain.benchmarks;

import java.util.SplittableRandom;
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
import org.vectrain.engine.kernels.DenseLayer;
import org.vectrain.engine.kernels.FoldedWeights;
import org.vectrain.engine.kernels.RowSource;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.layout.AlignedFloats;
import org.vectrain.engine.layout.SampleBlocks;

/**
 * Each kernel of the two-layer network on one core, a batch of 100 images (D = 3072, K = 10) at m hidden units:
 * packing the batch, the forward product {@code H = max(0, W1 X + b1)}, the scores {@code S = W2 H + b2}, the
 * hidden gradient {@code G1}, the output layer's step and the first layer's (dW1 with the W1 step); and the
 * evaluation's hidden layer on a chunk of two {@link SampleBlocks} (64 images) with the normalisation folded in
 * ({@code blockHidden}), as {@code TwoLayerEvaluator} runs it. The {@code :gflop} row is GFLOP/s (a multiply-add
 * counts 2), to set beside one core's peak from {@code bench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TwoLayerBenchmark {
    private static final int BATCH = 100;
    /** Images per evaluation chunk: two blocks. */
    private static final int EVALUATION_CHUNK = 2 * SampleBlocks.BLOCK;

    @Param({"50", "1000"})
    public int hidden;

    @Param({"vector", "scalar"})
    public String kernels;

    private TwoLayerKernels k;
    private RowSource images;
    private Affine map;
    private DenseLayer first;
    /** The first layer as the training step's forward product reads it: W1 copied to start on a cache line. */
    private DenseLayer alignedFirst;
    private DenseLayer second;
    private AlignedFloats packed;
    private float[] h;
    private float[] s;
    private float[] g;
    private float[] g1;
    private float[] g1Sum;
    private FoldedWeights folded;
    private byte[] blocks;
    private float[] blockH;

    @Setup
    public void setUp() {
        k = kernels.equals("vector") ? KernelProvider.twoLayerVector() : KernelProvider.twoLayerScalar();
        System.out.println("kernels: " + k.description());
        KernelFixture data = new KernelFixture();
        int dim = KernelFixture.DIM;
        int stride = TwoLayerKernels.weightStride(dim);
        SplittableRandom random = new SplittableRandom(KernelFixture.SEED);
        float[] w1 = new float[hidden * stride];
        for (int i = 0; i < hidden; i++) {
            for (int d = 0; d < dim; d++) {
                w1[i * stride + d] = (float) (random.nextGaussian() / Math.sqrt(dim));
            }
        }
        float[] w2 = new float[KernelFixture.CLASSES * hidden];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = (float) (random.nextGaussian() / Math.sqrt(hidden));
        }
        first = new DenseLayer(w1, new float[hidden], hidden, stride);
        AlignedFloats w1Copy = AlignedFloats.allocate(w1.length);
        System.arraycopy(w1, 0, w1Copy.array(), w1Copy.start(), w1.length);
        alignedFirst = new DenseLayer(w1Copy.array(), first.b(), hidden, stride, w1Copy.start());
        second = new DenseLayer(w2, new float[KernelFixture.CLASSES], KernelFixture.CLASSES, hidden);
        images = RowSource.whole(data.q, dim, data.rows);
        map = new Affine(data.a, data.c);
        packed = AlignedFloats.allocate(TwoLayerKernels.packedLength(BATCH, dim));
        h = new float[hidden * BATCH];
        s = new float[KernelFixture.CLASSES * BATCH];
        g = new float[KernelFixture.CLASSES * BATCH];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (0.01 * random.nextGaussian());
        }
        g1 = new float[hidden * BATCH];
        g1Sum = new float[hidden];
        k.pack(images, 0, BATCH, 0, BATCH, map, dim, packed);
        k.hiddenForward(packed, BATCH, alignedFirst, 0, hidden, h);
        k.hiddenGradient(g, BATCH, second, h, 0, hidden, g1, g1Sum);
        folded = TwoLayerKernels.foldTransposed(first, dim, map, new float[dim * hidden], new float[hidden]);
        blocks = SampleBlocks.relayout(data.q, EVALUATION_CHUNK, dim).values();
        blockH = new float[hidden * EVALUATION_CHUNK];
    }

    @Benchmark
    public float[] pack() {
        k.pack(images, 0, BATCH, 0, BATCH, map, KernelFixture.DIM, packed);
        return packed.array();
    }

    @Benchmark
    public float[] hiddenForward(FlopCounter counter) {
        k.hiddenForward(packed, BATCH, alignedFirst, 0, hidden, h);
        counter.add(2L * hidden * KernelFixture.DIM * BATCH);
        return h;
    }

    @Benchmark
    public float[] outputScores(FlopCounter counter) {
        k.outputScores(h, BATCH, second, s);
        counter.add(2L * KernelFixture.CLASSES * hidden * BATCH);
        return s;
    }

    @Benchmark
    public float[] hiddenGradient(FlopCounter counter) {
        k.hiddenGradient(g, BATCH, second, h, 0, hidden, g1, g1Sum);
        counter.add(2L * KernelFixture.CLASSES * hidden * BATCH);
        return g1;
    }

    @Benchmark
    public float[] outputStep(FlopCounter counter) {
        // a step of 0: the weights stay as they are from call to call
        k.outputStep(g, BATCH, h, second, 0f, 0f, 0, hidden, null);
        counter.add(2L * KernelFixture.CLASSES * hidden * BATCH);
        return second.w();
    }

    @Benchmark
    public float[] hiddenStep(FlopCounter counter) {
        k.hiddenStep(packed, BATCH, g1, g1Sum, first, 0f, 0f, 0, hidden, null);
        counter.add(2L * hidden * KernelFixture.DIM * BATCH);
        return first.w();
    }

    @Benchmark
    public float[] blockHidden(FlopCounter counter) {
        k.blockHidden(folded, blocks, 0, 2, blockH, EVALUATION_CHUNK);
        counter.add(2L * hidden * KernelFixture.DIM * EVALUATION_CHUNK);
        return blockH;
    }
}
