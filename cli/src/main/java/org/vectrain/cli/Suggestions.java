package org.vectrain.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What to say about an argument the command line did not recognise: the closest option or command name
 * when there is one near enough to be the one meant (a typo, {@code --lamda}, {@code trian}), and the
 * flag for names taken from elsewhere ({@code --lr} is {@code --eta} here).
 */
final class Suggestions {
    /**
     * Names users bring from other tools or from the assignment's text, with the flag that means the same
     * here, when the command has that flag. Names the commands accept as aliases are not listed.
     */
    private static final Map<String, List<String>> SYNONYMS = Map.of(
            "--lr", List.of("--eta", "--etas"),
            "--learning-rate", List.of("--eta", "--etas"),
            "--eta", List.of("--etas"),
            "--lambda", List.of("--lambdas"),
            "--n_batch", List.of("--batch", "--batches"),
            "--batch", List.of("--batches"),
            "--batch-size", List.of("--batch", "--batches"),
            "--n_epochs", List.of("--epochs"),
            "--output", List.of("--out"),
            "--seeds", List.of("--seed"));

    private Suggestions() {
    }

    /**
     * The one-line message for an unmatched argument: what was not recognised and, where one is near, the
     * name meant.
     */
    static String describe(CommandLine.UnmatchedArgumentException e) {
        List<String> unmatched = e.getUnmatched();
        CommandSpec spec = e.getCommandLine().getCommandSpec();
        if (unmatched.isEmpty()) {
            return e.getMessage();
        }
        String argument = unmatched.get(0);
        if (argument.startsWith("-") && argument.length() > 1 && !isNumber(argument)) {
            String name = argument.contains("=") ? argument.substring(0, argument.indexOf('=')) : argument;
            Optional<String> meant = option(name, spec);
            return "unknown option '" + name + "'" + meant.map(m -> "; did you mean " + m + "?").orElse("");
        }
        if (!spec.subcommands().isEmpty()) {
            Optional<String> meant = closest(argument, new ArrayList<>(visibleCommands(spec)));
            return "unknown command '" + argument + "'" + meant.map(m -> "; did you mean '" + m + "'?")
                    .orElse("; the commands are " + String.join(", ", visibleCommands(spec)));
        }
        return "unexpected argument '" + argument + "' (this command takes "
                + (spec.positionalParameters().isEmpty() ? "no arguments besides its options"
                        : "only " + spec.positionalParameters().size() + " argument"
                                + (spec.positionalParameters().size() == 1 ? "" : "s")) + ")";
    }

    /**
     * picocli's message, naming an option with aliases by the name the user typed ({@code --batch} or
     * {@code --n_batch}) rather than by its longest name.
     */
    static String withNameUsed(CommandLine.ParameterException e, String[] args) {
        String message = e.getMessage();
        if (!(e.getArgSpec() instanceof OptionSpec option) || option.names().length < 2) {
            return message;
        }
        String shown = "'" + option.longestName() + "'";
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return message.replace(shown, "'" + name + "'");
                }
            }
        }
        return message;
    }

    /** The option of {@code spec} that {@code name} most likely meant, if any is close enough. */
    static Optional<String> option(String name, CommandSpec spec) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden()) {
                names.addAll(List.of(option.names()));
            }
        }
        for (String synonym : SYNONYMS.getOrDefault(name.toLowerCase(Locale.ROOT), List.of())) {
            if (names.contains(synonym)) {
                return Optional.of(synonym);
            }
        }
        return closest(name, names);
    }

    private static List<String> visibleCommands(CommandSpec spec) {
        List<String> names = new ArrayList<>();
        spec.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && !names.contains(sub.getCommandName())) {
                names.add(sub.getCommandName());
            }
        });
        return names;
    }

    /**
     * The candidate nearest to {@code typed} in edit distance (a swap of two neighbours counts as one
     * edit; case, and {@code _} against {@code -}, count as none), when it is within a third of the name's
     * length (at least one edit), and closer than any other.
     */
    static Optional<String> closest(String typed, List<String> candidates) {
        String a = normalise(typed);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        boolean tie = false;
        for (String candidate : candidates) {
            int d = distance(a, normalise(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
                tie = false;
            } else if (d == bestDistance) {
                tie = true;
            }
        }
        int allowed = Math.max(1, stripDashes(a).length() / 3);
        return best != null && bestDistance <= allowed && !tie ? Optional.of(best) : Optional.empty();
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String stripDashes(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '-') {
            i++;
        }
        return name.substring(i);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
