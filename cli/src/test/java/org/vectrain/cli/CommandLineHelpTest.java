package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What a user meets before any command runs: the help of every command (wrapped at spaces only, within 80
 * columns, the assignment's aliases listed), and the one-line answer to a mistyped command or option, with
 * the name meant; and that the tree is built whole wherever a command line needs more than the subcommand it names.
 */
class CommandLineHelpTest {
    /** Every command, the top level first. */
    static List<CommandLine> everyCommand() {
        List<CommandLine> commands = new ArrayList<>();
        collect(Main.newCommandLine(), commands);
        return commands;
    }

    @Test
    void aNamedSubcommandIsBuiltAloneAndAnythingElseGetsTheWholeTree() {
        assertEquals(List.of("train"), List.copyOf(Main.newCommandLine("train").getSubcommands().keySet()));
        List<String> all = List.copyOf(Main.newCommandLine().getSubcommands().keySet());
        assertTrue(all.containsAll(List.of("suite", "train", "search", "predict", "help")), all.toString());
        for (String first : new String[] {"", "trian", "help", "--help", "@args.txt"}) {
            assertEquals(all, List.copyOf(Main.newCommandLine(first).getSubcommands().keySet()), first);
        }
    }

    private static void collect(CommandLine cli, List<CommandLine> into) {
        into.add(cli);
        cli.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    /** Every command's help text, the top level's first. */
    static List<String> everyHelp() {
        return everyCommand().stream().map(c -> c.getUsageMessage(CommandLine.Help.Ansi.OFF)).toList();
    }

    @Test
    void helpBreaksLinesAtSpacesOnlyAndWithinEightyColumns() {
        List<String> helps = everyHelp();
        assertTrue(helps.size() >= 10, "every command: " + helps.size());
        String all = String.join("\n", helps);
        for (String line : all.lines().toList()) {
            assertTrue(line.length() <= 80, "wider than 80 columns: " + line);
        }
        // Every word of every description is whole in its command's help: none is cut at a line's end, as
        // "https://www.cs.toronto." / "edu/..." or "validation_accuracy." / "png" were.
        for (CommandLine cli : everyCommand()) {
            String help = cli.getUsageMessage(CommandLine.Help.Ansi.OFF);
            List<String> descriptions = new ArrayList<>(List.of(cli.getCommandSpec().usageMessage().description()));
            cli.getCommandSpec().options().forEach(o -> descriptions.addAll(List.of(o.description())));
            cli.getCommandSpec().positionalParameters().forEach(p -> descriptions.addAll(List.of(p.description())));
            for (String description : descriptions) {
                for (String word : description.split("\\s+")) {
                    if (!word.contains("${")) {
                        assertTrue(help.contains(word), "'" + word + "' is cut in the help of "
                                + cli.getCommandSpec().qualifiedName() + ":\n" + help);
                    }
                }
            }
        }
        assertTrue(all.contains("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"), "the URL on one line");
        assertTrue(all.contains("validation_accuracy.png"), "file names on one line");
    }

    @Test
    void theCommandListGivesEveryCommandAWholeSentence() {
        String top = everyHelp().get(0);
        List<String> commandLines = top.lines().dropWhile(l -> !l.startsWith("Commands:")).skip(1).toList();
        String suite = commandLines.stream().filter(l -> l.startsWith("  suite ")).findFirst().orElseThrow();
        assertTrue(suite.strip().endsWith("."), "no dangling colon: " + suite);
    }

    @Test
    void theAssignmentsNamesAreListedAsAliases() {
        String train = Main.newCommandLine().getSubcommands().get("train").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(train.contains("--batch, --n_batch=N"), train);
        assertTrue(train.contains("--epochs, --n_epochs=N"), train);
        String suite = Main.newCommandLine().getSubcommands().get("suite").getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(suite.contains("--epochs, --n_epochs=N"), suite);
    }

    @Test
    void aMistypedOptionOrCommandGetsTheNameMeant() {
        CliRun.of("train", "--lamda", "0.1").assertRefused("unknown option '--lamda'; did you mean --lambda?",
                "'vectrain train --help'");
        CliRun.of("trian").assertRefused("unknown command 'trian'; did you mean 'train'?");
        CliRun.of("train", "--lr", "0.01").assertRefused("unknown option '--lr'; did you mean --eta?");
        CliRun.of("train", "--epoch=3").assertRefused("unknown option '--epoch'; did you mean --epochs?");
        CliRun.of("search", "--lambda", "0.1").assertRefused("did you mean --lambdas?");
        CliRun.of("search", "--n_batch", "10").assertRefused("did you mean --batches?");
        CliRun.of("data", "inf").assertRefused("unknown command 'inf'; did you mean 'info'?");
        CliRun.of("train", "--zzz").assertRefused("unknown option '--zzz' (see 'vectrain train --help')");
        CliRun.of("xyzzy").assertRefused("unknown command 'xyzzy'; the commands are suite, train, search");
        CliRun.of("train", "extra").assertRefused("unexpected argument 'extra'");
    }

    @Test
    void closestNeedsANearAndUniqueName() {
        assertEquals(Optional.of("--lambda"), Suggestions.closest("--lamda", List.of("--lambda", "--eta")));
        assertEquals(Optional.of("train"), Suggestions.closest("trian", List.of("suite", "train", "search")));
        assertEquals(Optional.of("--n_batch"), Suggestions.closest("--N-BATCH", List.of("--n_batch", "--eta")));
        assertEquals(Optional.empty(), Suggestions.closest("--x", List.of("--lambda", "--eta")));
        assertEquals(Optional.empty(), Suggestions.closest("--et", List.of("--eta", "--etc")), "a tie is no answer");
        assertEquals(1, Suggestions.distance("trian", "train"), "a swap of neighbours is one edit");
    }
}
