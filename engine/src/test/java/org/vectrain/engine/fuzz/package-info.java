/**
 * Shared machinery of the fuzz tests of the file readers.
 *
 * <p>Every reader of untrusted bytes (the binary batch reader, the restricted pickle reader, the
 * tarball extractor, the {@code .npy} reader) has a fuzz test class next to it with two entry points
 * over one target method:
 * <ul>
 *   <li>a Jazzer {@code @FuzzTest}: coverage-guided fuzzing when run with {@code JAZZER_FUZZ=1}; in a
 *       normal test run (Jazzer's regression mode) it replays the committed seed corpus in
 *       {@code src/test/resources/<package>/<Class>Inputs/<method>/};</li>
 *   <li>a plain JUnit sweep that replays the same corpus and then a fixed number of mutations of it
 *       drawn by {@link SeededMutator} from a fixed seed, so that every normal run, on every JDK,
 *       checks thousands of hostile inputs in a few seconds whether or not Jazzer's agent can run.</li>
 * </ul>
 *
 * <p>{@link FuzzHarness} states the contract both check: a reader either returns or throws the
 * project's {@code InputException} with a one-line message; anything else, an allocation out of
 * proportion to the input, or a slow input fails the test and names the input.
 */
package org.vectrain.engine.fuzz;
