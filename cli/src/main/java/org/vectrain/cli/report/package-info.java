/**
 * Plots, weight montages, tables and the experiment report (Markdown and self-contained HTML).
 *
 * <p>Everything here renders off-screen (AWT is put in headless mode before first use) and writes
 * each file atomically through {@link org.vectrain.engine.io.AtomicFiles}, so a failed or interrupted
 * report never leaves a half-written image or page behind.
 */
package org.vectrain.cli.report;
