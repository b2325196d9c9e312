/**
 * Measuring speed on the machine at hand: whole epochs on real data, and the machine's own limits (peak
 * FMA throughput, memory bandwidth) measured in the same process to compare them with.
 */
package org.vectrain.engine.bench;
