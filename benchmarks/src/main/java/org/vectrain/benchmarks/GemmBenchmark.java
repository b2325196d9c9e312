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
import org.vectrain.engine.simd.Kernels;

/**
 * The two GEMMs of the model on one core, SIMD against scalar: forward scores (K x D times D x n)
 * and the fused weight gradient and update (K x n times n x D), both reading the pixels as bytes.
 * Each is 2 K D n flops.
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
    private float[] g;
    private float[] gSum;
    private float[] w;
    private long flops;

    @Setup
    public void setUp() {
        data = new KernelFixture();
        k = KernelFixture.kernels(kernels);
        System.out.println("kernels: " + k.description());
        s = new float[KernelFixture.CLASSES * batch];
        g = new float[KernelFixture.CLASSES * batch];
        gSum = new float[KernelFixture.CLASSES];
        for (int i = 0; i < g.length; i++) {
            g[i] = (i % 7 - 3) * 1e-3f;
            gSum[i / batch] += g[i];
        }
        w = data.w.clone();
        flops = 2L * KernelFixture.CLASSES * KernelFixture.DIM * batch;
    }

    @Benchmark
    public float[] forwardScores(FlopCounter counter) {
        k.forwardScores(data.w, data.b, KernelFixture.CLASSES, KernelFixture.DIM, data.q, data.rows, 0, batch, s, 0,
                batch);
        counter.add(flops);
        return s;
    }

    @Benchmark
    public float[] weightGradientUpdate(FlopCounter counter) {
        // W <- W - eta (G X + 2 lambda W) with a tiny eta so W stays bounded across iterations
        k.weightGradient(g, gSum, KernelFixture.CLASSES, batch, data.q, KernelFixture.DIM, data.rows, 0, data.a,
                data.c, w, 0.02f, 1f, -1e-6f, w, 0, KernelFixture.DIM);
        counter.add(flops);
        return w;
    }
}
