package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.commands.TrainCommand;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;
import picocli.CommandLine;

/**
 * Every flag whose value reaches an engine check is refused under its own name: one bad value per flag of
 * every command in {@link ParameterFlags}, through the whole command line (exit 2, one line that starts with
 * the flag and shows the value). The engine names the parameter, the command line the flag.
 */
class ParameterFlagsTest {
    /** The flags of TrainingExtras, each with a value the engine refuses; train and search share them. */
    private static final String[][] EXTRAS = {
        {"--translate", "9"}, {"--translate", "-1"},
        {"--schedule", "linear"},
        {"--step-every", "0"},
        {"--step-factor", "2"},
        {"--eta-min", "-1"}, {"--eta-min", "0.5", "--schedule", "cosine"},
        {"--half-cycle", "0"},
        {"--average-from", "3"},
        {"--patience", "-1"},
        {"--loss", "l2"},
        {"--dropout", "0.95", "--hidden", "8"},
    };

    @TempDir
    Path tmp;

    /** A binary data folder of 16 images in every batch. */
    private Path data() throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("d").resolve("cifar-10-batches-bin"));
        int shift = 0;
        for (String batch : CifarSource.BATCHES) {
            Files.write(folder.resolve(batch + ".bin"), CifarFixtures.binaryBatch(16, shift++));
        }
        return folder;
    }

    /**
     * The command lines to refuse: the command, the flag the message must start with, then the arguments
     * that give it a bad value (after the command's own valid ones).
     */
    private List<String[]> cases() {
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"train", "--lambda", "--lambda", "-1"},
                new String[] {"train", "--eta", "--eta", "NaN"},
                new String[] {"train", "--batch", "--batch", "0"},
                new String[] {"train", "--epochs", "--epochs", "0"},
                new String[] {"train", "--val-size", "--split", "all", "--val-size", "0"},
                new String[] {"search", "--lambdas", "--lambdas", "-1"},
                new String[] {"search", "--etas", "--etas", "0"},
                new String[] {"search", "--batches", "--batches", "0"},
                new String[] {"search", "--epochs", "--epochs", "0"},
                new String[] {"search", "--random", "--random", "0"},
                new String[] {"search", "--val-size", "--split", "all", "--val-size", "0"},
                new String[] {"suite", "--epochs", "--epochs", "0"},
                new String[] {"suite", "--val-size", "--split", "all", "--val-size", "0"},
                new String[] {"bench", "--batch", "--batch", "0"},
                new String[] {"bench", "--epochs", "--epochs", "0"},
                new String[] {"bench", "--val-size", "--split", "all", "--val-size", "0"},
                new String[] {"gradcheck", "--entries", "--entries", "0"},
                new String[] {"compare", "--rtol", "--rtol", "-1"},
                new String[] {"compare", "--atol", "--atol", "NaN"},
                new String[] {"compare", "--acc-tol", "--acc-tol", "-0.5"},
                new String[] {"compare", "--weights-rtol", "--weights-rtol", "Infinity"}));
        for (String command : List.of("train", "search")) {
            for (String[] extra : EXTRAS) {
                String[] c = new String[extra.length + 2];
                c[0] = command;
                c[1] = extra[0];
                System.arraycopy(extra, 0, c, 2, extra.length);
                cases.add(c);
            }
        }
        return cases;
    }

    /** The arguments every run of {@code command} needs. */
    private List<String> base(String command, Path data) {
        String out = tmp.resolve("out-" + command).toString();
        String d = data.toString();
        return switch (command) {
            case "train", "search", "suite" -> List.of(command, "--data", d, "--out", out, "--quiet");
            case "bench", "gradcheck" -> List.of(command, "--data", d);
            case "compare" -> List.of("compare", tmp.resolve("run-a").toString(), tmp.resolve("run-b").toString());
            default -> throw new IllegalArgumentException(command);
        };
    }

    /** Small valid settings of {@code command}, each given unless the case gives that flag itself. */
    private static String[][] defaults(String command) {
        return switch (command) {
            case "train" -> new String[][] {{"--threads", "1"}, {"--epochs", "2"}, {"--batch", "8"}};
            case "search", "bench" -> new String[][] {{"--threads", "1"}, {"--epochs", "1"}};
            case "suite" -> new String[][] {{"--threads", "1"}, {"--epochs", "1"}, {"--no-gradcheck"}};
            default -> new String[0][];
        };
    }

    @Test
    void everyMappedFlagIsNamedWhenItsValueIsRefused() throws IOException {
        Path data = data();
        List<String> wrong = new ArrayList<>();
        for (String[] c : cases()) {
            List<String> args = new ArrayList<>(base(c[0], data));
            List<String> bad = List.of(c).subList(2, c.length);
            for (String[] setting : defaults(c[0])) {
                if (!bad.contains(setting[0])) {
                    args.addAll(List.of(setting));
                }
            }
            args.addAll(bad);
            String value = bad.get(bad.indexOf(c[1]) + 1);
            CliRun run = CliRun.of(args.toArray(String[]::new));
            String err = run.err().strip();
            boolean named = run.exit() == ExitCodes.USAGE && err.lines().count() == 1
                    && err.startsWith("vectrain: " + c[1] + ": ") && err.contains(value);
            if (!named) {
                wrong.add(c[0] + " " + String.join(" ", bad) + " -> exit " + run.exit() + ": " + err);
            }
        }
        assertEquals(List.of(), wrong, "every bad value refused with exit 2 and one line starting with its flag");
    }

    @Test
    void everyEntryOfTheTablesIsAFlagOfItsCommandAndHasACase() {
        Map<Class<?>, CommandLine> commands = new HashMap<>();
        for (CommandLine sub : Main.newCommandLine().getSubcommands().values()) {
            commands.put(sub.getCommand().getClass(), sub);
        }
        Set<String> covered = new HashSet<>();
        for (String[] c : cases()) {
            covered.add(c[0] + " " + c[1]);
        }
        // No flag's value can reach this check: the command line reads CIFAR images only. The mapping
        // still holds should one ever do.
        covered.add("train --flip");
        covered.add("search --flip");
        List<String> missing = new ArrayList<>();
        ParameterFlags.tables().forEach((type, table) -> {
            CommandLine command = commands.get(type);
            assertNotNull(command, type + " is not a command of vectrain");
            table.forEach((parameter, flag) -> {
                assertNotNull(command.getCommandSpec().findOption(flag), flag + " is not a flag of "
                        + command.getCommandName());
                if (!covered.contains(command.getCommandName() + " " + flag)) {
                    missing.add(command.getCommandName() + " " + flag + " (" + parameter + ")");
                }
            });
        });
        assertEquals(List.of(), missing, "mapped flags without a refused value above");
    }

    @Test
    void onlyAParameterOfTheCommandIsRenamed() {
        InputException flip = new InputException("flip",
                "needs CIFAR images of 3072 pixels, the data has 10 dimensions");
        assertEquals("--flip: needs CIFAR images of 3072 pixels, the data has 10 dimensions",
                ParameterFlags.message(new TrainCommand(), flip));
        InputException simd = new InputException("vectrain.simd", "must be one of auto, 512, 256, scalar, was 'x'");
        assertEquals("vectrain.simd must be one of auto, 512, 256, scalar, was 'x'",
                ParameterFlags.message(new TrainCommand(), simd));
        InputException file = new InputException("data_batch_1.bin: file is empty");
        assertEquals("data_batch_1.bin: file is empty", ParameterFlags.message(new TrainCommand(), file));
    }
}
