/**
 * JMH benchmarks of every kernel, scalar twin beside SIMD, at the real shapes with seeded data.
 * Each benchmark counts its floating-point operations in an auxiliary counter, so JMH prints
 * GFLOP/s (flops per nanosecond) beside the time per call.
 */
package org.vectrain.benchmarks;
