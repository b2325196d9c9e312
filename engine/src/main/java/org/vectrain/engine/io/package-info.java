/**
 * Run outputs on disk: atomic file writes, {@code .npy} arrays and JSON documents.
 *
 * <p>Every file is written whole or not at all: it is written to a temporary file in the same folder,
 * forced to disk and renamed over the target, so an interrupted or failed run never leaves a partial
 * weight matrix or history behind for a later command to trust.
 *
 * <p>Errors: an output folder is checked once, where the command starts, by
 * {@link org.vectrain.engine.io.AtomicFiles#ensureWritableDirectory}, which reports a folder the user
 * cannot write as an {@link org.vectrain.engine.InputException} naming the flag. A write that fails
 * after that (disk full, permission lost mid-run) is an {@link java.io.UncheckedIOException} whose
 * cause's message names the file. Reading a malformed input file is an {@code InputException}.
 */
package org.vectrain.engine.io;
