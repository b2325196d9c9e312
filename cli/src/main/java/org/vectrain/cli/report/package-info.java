/** Plots, weight montages, tables and the experiment report (Markdown and self-contained HTML). */
package org.vectrain.cli.report;
