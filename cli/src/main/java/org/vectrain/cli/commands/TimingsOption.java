package org.vectrain.cli.commands;

import java.io.PrintWriter;
import org.vectrain.cli.PhaseTimeline;
import picocli.CommandLine.Option;

/** {@code --timings}: the phases of the process printed at its end (they are recorded either way). */
public final class TimingsOption {
    @Option(names = "--timings", description = "At the end, print the phases of the process (JVM start, data read, "
            + "layouts, warm-up, epochs, plots, files, report) with when each began and how long it took, and the "
            + "cores' idle time. They are also written to the run's summary.json (train) or timings.json (suite).")
    boolean timings;

    /** Prints the process's phases to {@code out} if {@code --timings} was given. */
    void printIfAsked(PrintWriter out) {
        if (timings) {
            out.println();
            out.print(PhaseTimeline.process().toText());
            out.flush();
        }
    }
}
