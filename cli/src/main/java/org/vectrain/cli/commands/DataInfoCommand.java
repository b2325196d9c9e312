package org.vectrain.cli.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.vectrain.cli.ExitCodes;
import org.vectrain.cli.VersionProvider;
import org.vectrain.engine.data.ChannelStatistics;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.LabeledImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code vectrain data info}: where the data is, in which layout, what every batch file holds, and
 * the per-channel statistics of the training sets. Reads and checks every batch whole.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Show the CIFAR-10 layout and folder, every batch file with its image and label counts,"
                + " and the per-channel mean and std (0..255) of the training sets.")
public final class DataInfoCommand implements Callable<Integer> {
    @Mixin
    DataOption data;

    @Mixin
    RecordLimitOption recordLimit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DataLocation location = data.location();
        CifarSource source = recordLimit.apply(location.open());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("layout:  %s%n", source.layout().name().toLowerCase(Locale.ROOT));
        out.printf("folder:  %s (from %s)%n", source.folder(), location.origin());
        out.printf("classes: %s%n", String.join(", ", source.classNames()));
        out.printf("%-18s %10s %7s  %s%n", "file", "bytes", "images", "images per label 0..9");

        ChannelStatistics standardTrain = null;
        ChannelStatistics.Accumulator allTrain = new ChannelStatistics.Accumulator();
        for (String batch : CifarSource.BATCHES) {
            Path file = source.file(batch);
            LabeledImages images = source.read(batch);
            out.printf("%-18s %10d %7d  %s%n", file.getFileName(), size(file), images.count(),
                    Arrays.stream(images.labelCounts()).mapToObj(String::valueOf).collect(Collectors.joining(" ")));
            if (batch.equals("data_batch_1")) {
                standardTrain = ChannelStatistics.of(images);
            }
            if (batch.startsWith("data_batch_")) {
                allTrain.add(images);
            }
        }
        out.println("per-channel mean / std on 0..255:");
        print(out, "standard split train (data_batch_1)", standardTrain);
        print(out, "all training batches (data_batch_1..5)", allTrain.result());
        out.flush();
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, String what, ChannelStatistics statistics) {
        out.printf(Locale.ROOT, "  %-40s %6d images  R %6.2f / %5.2f  G %6.2f / %5.2f  B %6.2f / %5.2f%n", what,
                statistics.images(), statistics.mean()[0], statistics.std()[0], statistics.mean()[1],
                statistics.std()[1], statistics.mean()[2], statistics.std()[2]);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
