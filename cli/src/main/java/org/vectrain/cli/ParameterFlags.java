package org.vectrain.cli;

import java.util.HashMap;
import java.util.Map;
import org.vectrain.cli.commands.BenchCommand;
import org.vectrain.cli.commands.CompareCommand;
import org.vectrain.cli.commands.GradcheckCommand;
import org.vectrain.cli.commands.SearchCommand;
import org.vectrain.cli.commands.SuiteCommand;
import org.vectrain.cli.commands.TrainCommand;
import org.vectrain.engine.InputException;

/**
 * The flag behind each engine parameter, per command. The engine refuses a value under its own name for
 * the parameter ({@code eta}, {@code halfCycle}); the user typed a flag ({@code --eta}, {@code --half-cycle},
 * or {@code --etas} in a search), and the message names that flag.
 */
final class ParameterFlags {
    /** {@code --split all}'s held-out images, for every command that reads a split. */
    private static final Map<String, String> SPLIT = Map.of("validationSize", "--val-size");

    /** The flags of {@code TrainingExtras}, shared by train and search. */
    private static final Map<String, String> EXTRAS = Map.ofEntries(
            Map.entry("flip", "--flip"),
            Map.entry("translate", "--translate"),
            Map.entry("schedule", "--schedule"),
            Map.entry("stepEvery", "--step-every"),
            Map.entry("stepFactor", "--step-factor"),
            Map.entry("etaMin", "--eta-min"),
            Map.entry("halfCycle", "--half-cycle"),
            Map.entry("averageFrom", "--average-from"),
            Map.entry("patience", "--patience"),
            Map.entry("loss", "--loss"),
            Map.entry("dropout", "--dropout"));

    /** One training setting ({@code HyperParameters}). */
    private static final Map<String, String> SETTING = Map.of(
            "lambda", "--lambda",
            "eta", "--eta",
            "batchSize", "--batch",
            "epochs", "--epochs");

    /** A search draws λ, η and n_batch from its lists; {@code count} is the number of random draws. */
    private static final Map<String, String> SEARCH = Map.of(
            "lambda", "--lambdas",
            "eta", "--etas",
            "batchSize", "--batches",
            "epochs", "--epochs",
            "count", "--random");

    private static final Map<Class<?>, Map<String, String>> BY_COMMAND = Map.of(
            TrainCommand.class, union(SETTING, EXTRAS, SPLIT),
            SearchCommand.class, union(SEARCH, EXTRAS, SPLIT),
            SuiteCommand.class, union(Map.of("epochs", "--epochs"), SPLIT),
            BenchCommand.class, union(Map.of("batchSize", "--batch", "epochs", "--epochs"), SPLIT),
            GradcheckCommand.class, Map.of("entries", "--entries"),
            CompareCommand.class, Map.of(
                    "rtol", "--rtol",
                    "atol", "--atol",
                    "accTol", "--acc-tol",
                    "weightsRtol", "--weights-rtol"));

    private ParameterFlags() {
    }

    /** Every command's table, engine parameter to flag. */
    static Map<Class<?>, Map<String, String>> tables() {
        return BY_COMMAND;
    }

    /**
     * The flag of {@code command} that sets the engine's {@code parameter}; null when none does (or the
     * exception names no parameter).
     */
    static String flag(Object command, String parameter) {
        if (command == null || parameter == null) {
            return null;
        }
        return BY_COMMAND.getOrDefault(command.getClass(), Map.of()).get(parameter);
    }

    /**
     * The one-line message for {@code e} raised under {@code command}: {@code "--eta: must be ..., was NaN"}
     * when a flag of the command set the parameter, else the engine's message as it is.
     */
    static String message(Object command, InputException e) {
        String flag = flag(command, e.parameter());
        return flag == null ? e.getMessage() : flag + ": " + e.problem();
    }

    @SafeVarargs
    private static Map<String, String> union(Map<String, String>... tables) {
        Map<String, String> all = new HashMap<>();
        for (Map<String, String> table : tables) {
            all.putAll(table);
        }
        return Map.copyOf(all);
    }
}
