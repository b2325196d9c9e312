package org.vectrain.cli.commands;

import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.RecordLimit;
import picocli.CommandLine.Option;

/** The {@code --max-records} option, shared (as a picocli mixin) by every command that reads batch files. */
public final class RecordLimitOption {
    @Option(names = "--max-records", paramLabel = "N", defaultValue = "" + RecordLimit.BATCH_RECORDS,
            description = "Most images one batch file may hold (default: ${DEFAULT-VALUE}, as in the official "
                    + "batches); raise it only for a data set of larger batches.")
    int maxRecords;

    /** {@code source}, reading batch files of at most {@code --max-records} images. */
    CifarSource apply(CifarSource source) {
        return source.withRecordLimit(new RecordLimit(maxRecords, "--max-records"));
    }
}
