/**
 * Comparing two training runs for numerical regression testing: {@link org.vectrain.engine.compare.RunRecord}
 * reads what a run folder holds ({@code summary.json}, {@code W.npy}), {@link org.vectrain.engine.compare.Tolerances}
 * states how close two runs must be, and {@link org.vectrain.engine.compare.RunComparison} measures every per-epoch
 * figure and the final weights against them and gives a verdict. The CLI's {@code compare} command only parses and
 * prints.
 */
package org.vectrain.engine.compare;
