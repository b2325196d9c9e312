package org.vectrain.engine.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jdk.incubator.vector.ByteVector;
import org.vectrain.engine.Medians;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.vectrain.engine.kernels.vector.SimdSpecies;

/**
 * The limits an epoch is held to, measured here and now: peak float FMA throughput with a Vector API
 * loop of independent accumulators (what the GEMMs could reach at best), and memory bandwidth with a
 * streaming read of bytes much larger than the caches (what an evaluation pass, which reads every
 * image once, could reach at best). Both are medians of several timed repetitions after a warm-up.
 *
 * @param peakGflops FMA throughput of all threads, GFLOP/s (an FMA is 2 flops)
 * @param peakGflopsOneThread the same on one thread
 * @param bandwidthGbs streaming read bandwidth of all threads, GB/s
 * @param bandwidthGbsOneThread the same on one thread
 */
public record MachineLimits(double peakGflops, double peakGflopsOneThread, double bandwidthGbs,
        double bandwidthGbsOneThread) {
    /** The kernels' own species: the limit is that of the width they run (a 128-bit run, a 128-bit peak). */
    private static final VectorSpecies<Float> F = SimdSpecies.FLOAT;
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, F.vectorShape());
    /** FMA iterations per timed call: long enough to hide the timer and thread start. */
    static final int FMA_ITERATIONS = 4_000_000;
    /** Bytes streamed by the bandwidth test: far beyond any L3 on the machines this runs on. */
    static final int STREAM_BYTES = 1 << 27;
    static final int REPETITIONS = 5;
    /** Where the loops' results go, so the JIT cannot drop them as unused. */
    private static volatile long sink;

    /** Measures both limits on 1 and on {@code threads} threads. Takes about two seconds. */
    public static MachineLimits measure(int threads) {
        byte[] stream = new byte[STREAM_BYTES];
        Arrays.fill(stream, (byte) 1); // touch every page before timing
        double fmaOne = fmaGflops(1);
        double streamOne = bandwidthGbs(stream, 1);
        // More threads can always do at least what one does alone (the others idle); a lower figure
        // is noise from a shared machine, or cores that are SMT siblings contending for one FMA unit.
        return new MachineLimits(Math.max(fmaGflops(threads), fmaOne), fmaOne,
                Math.max(bandwidthGbs(stream, threads), streamOne), streamOne);
    }

    /** The training pass's speed of light, ms: its flops at peak FMA. */
    public double trainLimitMillis(EpochBenchmark.Result r) {
        return r.trainFlops() / peakGflops / 1e6;
    }

    /** The evaluation's, ms: the slower of its flops at peak FMA and reading every image once at full bandwidth. */
    public double evalLimitMillis(EpochBenchmark.Result r) {
        return Math.max(r.evalFlops() / peakGflops / 1e6, r.evalBytes() / bandwidthGbs / 1e6);
    }

    /** The epoch's speed of light, ms: training plus evaluation. */
    public double epochLimitMillis(EpochBenchmark.Result r) {
        return trainLimitMillis(r) + evalLimitMillis(r);
    }

    static double fmaGflops(int threads) {
        runOn(threads, t -> sink += (long) fmaLoop(FMA_ITERATIONS / 10));
        double[] seconds = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long t0 = System.nanoTime();
            runOn(threads, t -> sink += (long) fmaLoop(FMA_ITERATIONS));
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        // 12 accumulators x L lanes x 2 flops per iteration, per thread
        double flops = 12.0 * F.length() * 2 * FMA_ITERATIONS * threads;
        return flops / Medians.of(seconds) / 1e9;
    }

    /**
     * 12 independent FMA chains: more than an FMA's latency times the FMA ports (4 x 2 on current
     * cores), so the loop is bound by throughput, not latency.
     */
    private static float fmaLoop(int iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f);
        FloatVector c = FloatVector.broadcast(F, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(F, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .lane(0);
    }

    static double bandwidthGbs(byte[] stream, int threads) {
        int share = stream.length / threads / (2 * B.length()) * (2 * B.length());
        runOn(threads, t -> sink += streamRead(stream, t * share, t * share + share));
        double[] seconds = new double[REPETITIONS];
        for (int r = 0; r < REPETITIONS; r++) {
            long t0 = System.nanoTime();
            runOn(threads, t -> sink += streamRead(stream, t * share, t * share + share));
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        return (double) share * threads / Medians.of(seconds) / 1e9;
    }

    /** Reads every byte of [from, to) once, combining them so the reads cannot be removed. */
    private static long streamRead(byte[] stream, int from, int to) {
        ByteVector acc0 = ByteVector.zero(B);
        ByteVector acc1 = acc0;
        int step = 2 * B.length();
        int i = from;
        for (; i + step <= to; i += step) {
            acc0 = acc0.lanewise(VectorOperators.XOR, ByteVector.fromArray(B, stream, i));
            acc1 = acc1.lanewise(VectorOperators.XOR, ByteVector.fromArray(B, stream, i + B.length()));
        }
        return acc0.lanewise(VectorOperators.XOR, acc1).lane(0);
    }

    private interface Work {
        void run(int thread);
    }

    private static void runOn(int threads, Work work) {
        List<Thread> helpers = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            int id = t;
            Thread helper = new Thread(() -> work.run(id), "vectrain-limits-" + t);
            helper.start();
            helpers.add(helper);
        }
        work.run(0);
        for (Thread helper : helpers) {
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
    }

}
