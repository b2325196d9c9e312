package org.vectrain.cli.commands;

import org.vectrain.engine.data.CifarSource;
import picocli.CommandLine.Option;

/** The {@code --data} option, shared (as a picocli mixin) by every command that reads CIFAR-10. */
public final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "CIFAR-10 folder (binary or Python layout, or a folder holding one) or .tar.gz."
                    + " Default: $" + DataLocation.ENV + ", else $XDG_CACHE_HOME/vectrain or ~/.cache/vectrain.")
    String data;

    /** Where the data is or should go, with what chose it. */
    public DataLocation location() {
        return DataLocation.locate(data, "--data");
    }

    /** The CIFAR-10 found at {@link #location()}; an InputException says how to get it when there is none. */
    public CifarSource open() {
        return location().open();
    }
}
