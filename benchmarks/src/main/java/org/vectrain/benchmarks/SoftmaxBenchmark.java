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
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.LossAccumulator;

/** The fused softmax + cross-entropy over K x n scores, with loss only and with the gradient G. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class SoftmaxBenchmark {
    @Param({"10", "100", "200", "103"})
    public int batch;

    @Param({"vector", "scalar"})
    public String kernels;

    private Kernels k;
    private float[] s;
    private float[] g;
    private int[] labels;
    private final LossAccumulator acc = new LossAccumulator();

    @Setup
    public void setUp() {
        k = KernelFixture.kernels(kernels);
        System.out.println("kernels: " + k.description());
        SplittableRandom random = new SplittableRandom(KernelFixture.SEED);
        s = new float[KernelFixture.CLASSES * batch];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (2 * random.nextGaussian());
        }
        g = new float[s.length];
        labels = new int[batch];
        for (int j = 0; j < batch; j++) {
            labels[j] = random.nextInt(KernelFixture.CLASSES);
        }
    }

    @Benchmark
    public double lossOnly() {
        acc.reset();
        k.softmaxCrossEntropy(s, KernelFixture.CLASSES, batch, labels, null, 0f, null, 0, acc);
        return acc.lossSum();
    }

    @Benchmark
    public double lossAndGradient() {
        acc.reset();
        k.softmaxCrossEntropy(s, KernelFixture.CLASSES, batch, labels, g, 1f / batch, null, 0, acc);
        return acc.lossSum() + g[0];
    }
}
