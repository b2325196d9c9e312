/**
 * JMH benchmarks of every kernel, scalar twin beside SIMD, at the real shapes with seeded data.
 * Benchmarks run in throughput mode (calls per second); those with a known flop count also report
 * a {@code :gflop} row, which is GFLOP/s.
 */
package org.vectrain.benchmarks;
