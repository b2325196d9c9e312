/**
 * Measuring speed on the machine at hand: whole epochs on real data, the machine's own limits (peak FMA
 * throughput, memory bandwidth) measured in the same process to compare them with, and the numpy
 * baseline run as a child process beside them.
 */
package org.vectrain.engine.bench;
