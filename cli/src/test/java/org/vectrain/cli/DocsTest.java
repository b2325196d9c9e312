package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Keeps README.md and docs/ true to the command line as built: every {@code vectrain} command shown in a
 * fenced code block of README.md, docs/cli.md, docs/results.md, docs/testing.md or docs/performance.md parses
 * with the real command tree (its subcommand, flags and their value types), every command has an example,
 * every flag and argument of every command is described in docs/cli.md, and every local link or image in
 * README.md and docs/ points at a file (and heading) that exists.
 *
 * <p>Code blocks are read the way a shell reads them, as far as the docs need: line continuations,
 * comments, quotes, {@code &&}/{@code ;}/{@code |} between commands, {@code NAME=value} prefixes, variables
 * assigned earlier in the same block (split into words when unquoted), and {@code @FILE} arguments, which
 * take the words of a block in the docs whose first line is {@code # FILE}.
 */
class DocsTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path CLI_REFERENCE = ROOT.resolve("docs/cli.md");
    /** The documents whose code blocks show vectrain commands to run. */
    private static final List<Path> DOCS_WITH_COMMANDS = Stream.of("README.md", "docs/cli.md", "docs/results.md",
            "docs/testing.md", "docs/performance.md").map(ROOT::resolve).toList();
    /** Blocks with these info strings show output or file contents, not commands to run. */
    private static final Set<String> NOT_SHELL = Set.of("text", "json", "csv", "markdown", "md", "java", "xml");
    /** Words that may stand before the command itself, running it. */
    private static final Set<String> RUNNERS = Set.of("time", "/usr/bin/time", "env", "nice", "exec");
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
    private static final Pattern ARGFILE_HEADER = Pattern.compile("#\\s*(\\S+\\.args)\\b.*");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    /** Stands in for a variable the docs do not assign (e.g. a path the reader supplies). */
    private static final String UNKNOWN_VALUE = "VALUE";

    @Test
    void everyCommandInTheDocsParses() {
        List<String> failures = new ArrayList<>();
        Set<String> commandsShown = new TreeSet<>();
        int parsed = 0;
        for (Path doc : DOCS_WITH_COMMANDS) {
            List<CodeBlock> blocks = codeBlocks(doc);
            Map<String, List<String>> argfiles = argfiles(blocks);
            for (CodeBlock block : blocks) {
                if (NOT_SHELL.contains(block.info())) {
                    continue;
                }
                for (ShownCommand command : vectrainCommands(block, argfiles, failures)) {
                    parsed++;
                    try {
                        CommandLine.ParseResult result = Main.newCommandLine().parseArgs(command.args()
                                .toArray(new String[0]));
                        CommandLine.ParseResult deepest = result;
                        while (deepest.hasSubcommand()) {
                            deepest = deepest.subcommand();
                        }
                        if (deepest == result && !result.isUsageHelpRequested() && !result.isVersionHelpRequested()) {
                            failures.add(command.where() + ": names no command: " + command.text());
                        }
                        commandsShown.add(deepest.commandSpec().qualifiedName());
                    } catch (CommandLine.ParameterException e) {
                        failures.add(command.where() + ": " + e.getMessage() + "\n    " + command.text());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), "commands in the docs that the command line refuses:\n"
                + String.join("\n", failures));
        assertTrue(parsed >= 20, "expected the docs to show at least 20 vectrain commands, found " + parsed);
        System.out.println("DocsTest: " + parsed + " vectrain commands in the docs parse");
        Set<String> missing = new TreeSet<>(leafCommandNames());
        missing.removeAll(commandsShown);
        assertTrue(missing.isEmpty(), "commands with no example in the docs: " + missing);
    }

    @Test
    void everyFlagAndArgumentIsDescribedInTheCliReference() {
        String reference = read(CLI_REFERENCE);
        List<String> missing = new ArrayList<>();
        forEachCommand(Main.newCommandLine(), command -> {
            CommandSpec spec = command.getCommandSpec();
            if (!reference.contains(spec.qualifiedName())) {
                missing.add(spec.qualifiedName() + " (the command itself)");
            }
            for (OptionSpec option : spec.options()) {
                if (option.usageHelp() || option.versionHelp()) {
                    continue;
                }
                for (String name : option.names()) {
                    if (!containsWord(reference, name)) {
                        missing.add(spec.qualifiedName() + " " + name);
                    }
                }
            }
            for (PositionalParamSpec positional : spec.positionalParameters()) {
                if (!containsWord(reference, positional.paramLabel())) {
                    missing.add(spec.qualifiedName() + " " + positional.paramLabel());
                }
            }
        });
        assertTrue(missing.isEmpty(), "flags and arguments not described in docs/cli.md: " + missing);
    }

    @Test
    void everyLocalLinkPointsAtAFileAndHeadingThatExist() {
        List<Path> docs = new ArrayList<>();
        docs.add(ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path doc : docs) {
            Matcher m = LINK.matcher(withoutCodeBlocks(read(doc)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                links++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such file)");
                } else if (hash >= 0 && resolved.toString().endsWith(".md")
                        && !headingAnchors(resolved).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(links >= 10, "expected links in README.md and docs/, found " + links);
        assertTrue(broken.isEmpty(), "broken links:\n" + String.join("\n", broken));
    }

    @Test
    void shellWordsAreReadAsAShellReadsThem() {
        Map<String, String> vars = new HashMap<>(Map.of("S", "--split all --shuffle"));
        assertEquals(List.of("./vectrain", "search", "--split", "all", "--shuffle", "--out", "a b"),
                words("./vectrain search $S --out 'a b'   # comment", vars));
        assertEquals(List.of("x", "&&", "y", "--data", "VALUE/d", "--split all --shuffle"),
                words("x && y --data \"$HOME/d\" \"$S\"", vars));
        assertEquals(List.of("a#b", "c\\d"), words("a#b 'c\\d'", vars));
    }

    // --- reading the docs ---

    /** A fenced code block: its info string, its lines, and where it starts. */
    private record CodeBlock(Path file, int line, String info, List<String> lines) {
    }

    /** A vectrain command shown in a block: the words after the program name. */
    private record ShownCommand(String where, String text, List<String> args) {
    }

    private static List<CodeBlock> codeBlocks(Path file) {
        List<CodeBlock> blocks = new ArrayList<>();
        List<String> lines = read(file).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String trimmed = lines.get(i).strip();
            if (!trimmed.startsWith("```")) {
                continue;
            }
            String info = trimmed.substring(3).strip().toLowerCase(Locale.ROOT);
            int start = i + 1;
            List<String> body = new ArrayList<>();
            for (i = start; i < lines.size() && !lines.get(i).strip().startsWith("```"); i++) {
                body.add(lines.get(i));
            }
            blocks.add(new CodeBlock(file, start, info, body));
        }
        return blocks;
    }

    /** Blocks whose first line is {@code # NAME.args}: the words of argument file NAME.args. */
    private static Map<String, List<String>> argfiles(List<CodeBlock> blocks) {
        Map<String, List<String>> files = new HashMap<>();
        for (CodeBlock block : blocks) {
            Matcher header = block.lines().isEmpty() ? null : ARGFILE_HEADER.matcher(block.lines().get(0).strip());
            if (header != null && header.matches()) {
                List<String> args = new ArrayList<>();
                for (String line : block.lines()) {
                    args.addAll(words(line, Map.of()));
                }
                files.put(header.group(1), args);
            }
        }
        return files;
    }

    /** The vectrain commands of a shell block, with its variables and argument files expanded. */
    private static List<ShownCommand> vectrainCommands(CodeBlock block, Map<String, List<String>> argfiles,
            List<String> failures) {
        List<ShownCommand> commands = new ArrayList<>();
        Map<String, String> vars = new HashMap<>();
        int lineNumber = block.line();
        StringBuilder logical = new StringBuilder();
        for (String line : block.lines()) {
            lineNumber++;
            if (line.endsWith("\\")) {
                logical.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logical.append(line);
            String text = logical.toString().strip();
            logical.setLength(0);
            String where = ROOT.relativize(block.file()) + ":" + (lineNumber - 1);
            for (List<String> segment : segments(words(text, vars))) {
                int first = 0;
                while (first < segment.size() && ASSIGNMENT.matcher(segment.get(first)).matches()) {
                    first++;
                }
                if (first == segment.size()) {
                    for (String assignment : segment) {
                        int eq = assignment.indexOf('=');
                        vars.put(assignment.substring(0, eq), assignment.substring(eq + 1));
                    }
                    continue;
                }
                int program = first;
                while (program < segment.size() && RUNNERS.contains(segment.get(program))) {
                    program = skipRunner(segment, program);
                }
                if (program >= segment.size() || !isVectrain(segment.get(program))) {
                    continue;
                }
                List<String> args = new ArrayList<>();
                for (String arg : segment.subList(program + 1, segment.size())) {
                    if (arg.startsWith("@")) {
                        List<String> contents = argfiles.get(arg.substring(1));
                        if (contents == null) {
                            failures.add(where + ": argument file " + arg + " is not shown in the docs");
                        } else {
                            args.addAll(contents);
                        }
                    } else {
                        args.add(arg);
                    }
                }
                commands.add(new ShownCommand(where, text, args));
            }
        }
        return commands;
    }

    /** Skips a runner word and its own options (e.g. {@code /usr/bin/time -f "%e s"}, {@code env -u NAME}). */
    private static int skipRunner(List<String> segment, int runner) {
        int i = runner + 1;
        while (i < segment.size() && segment.get(i).startsWith("-")) {
            boolean takesValue = segment.get(i).equals("-f") || segment.get(i).equals("-u")
                    || segment.get(i).equals("-n");
            i += takesValue ? 2 : 1;
        }
        while (i < segment.size() && ASSIGNMENT.matcher(segment.get(i)).matches()) {
            i++;
        }
        return i;
    }

    private static boolean isVectrain(String word) {
        return word.equals("vectrain") || word.endsWith("/vectrain");
    }

    /** Splits words at {@code &&}, {@code ||}, {@code ;}, {@code |} and {@code &}. */
    private static List<List<String>> segments(List<String> words) {
        List<List<String>> segments = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String word : words) {
            if (Set.of("&&", "||", ";", "|", "&").contains(word)) {
                segments.add(current);
                current = new ArrayList<>();
            } else {
                current.add(word);
            }
        }
        segments.add(current);
        return segments;
    }

    /**
     * One line's shell words: quotes group, {@code #} at a word's start begins a comment, {@code $NAME} and
     * {@code ${NAME}} take the value assigned earlier (split into words outside double quotes; an unknown
     * variable becomes a placeholder), and control operators are words of their own.
     */
    static List<String> words(String line, Map<String, String> vars) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '#' && !inWord) {
                break;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                end = end < 0 ? line.length() : end;
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    if (line.charAt(i) == '$') {
                        int[] next = new int[1];
                        word.append(variable(line, i, vars, next));
                        i = next[0];
                    } else {
                        if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                            i++;
                        }
                        word.append(line.charAt(i++));
                    }
                }
                inWord = true;
                i++;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else if (c == '$') {
                int[] next = new int[1];
                String[] pieces = variable(line, i, vars, next).strip().split("\\s+");
                for (int p = 0; p < pieces.length; p++) {
                    if (p > 0) {
                        words.add(word.toString());
                        word.setLength(0);
                    }
                    word.append(pieces[p]);
                }
                inWord = true;
                i = next[0];
            } else if ("&|;".indexOf(c) >= 0) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                boolean doubled = i + 1 < line.length() && line.charAt(i + 1) == c && c != ';';
                words.add(doubled ? "" + c + c : "" + c);
                i += doubled ? 2 : 1;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** The value of the variable reference at {@code line[at]}; {@code next[0]} is set past it. */
    private static String variable(String line, int at, Map<String, String> vars, int[] next) {
        int i = at + 1;
        String name;
        if (i < line.length() && line.charAt(i) == '{') {
            int close = line.indexOf('}', i);
            close = close < 0 ? line.length() : close;
            name = line.substring(i + 1, close);
            next[0] = close + 1;
        } else if (i < line.length() && line.charAt(i) == '(') {
            int close = line.indexOf(')', i);
            next[0] = close < 0 ? line.length() : close + 1;
            return UNKNOWN_VALUE;
        } else {
            int end = i;
            while (end < line.length() && (Character.isLetterOrDigit(line.charAt(end)) || line.charAt(end) == '_')) {
                end++;
            }
            name = line.substring(i, end);
            next[0] = end;
            if (name.isEmpty()) {
                return "$";
            }
        }
        return vars.getOrDefault(name, UNKNOWN_VALUE);
    }

    // --- the command tree ---

    private static void forEachCommand(CommandLine command, Consumer<CommandLine> action) {
        action.accept(command);
        for (CommandLine sub : new LinkedHashSet<>(command.getSubcommands().values())) {
            if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                forEachCommand(sub, action);
            }
        }
    }

    /** Qualified names of the commands that do the work (no subcommands of their own), e.g. vectrain data info. */
    private static Set<String> leafCommandNames() {
        Set<String> names = new TreeSet<>();
        forEachCommand(Main.newCommandLine(), command -> {
            boolean hasSubcommands = command.getSubcommands().values().stream()
                    .anyMatch(sub -> !(sub.getCommand() instanceof CommandLine.HelpCommand));
            if (!hasSubcommands) {
                names.add(command.getCommandSpec().qualifiedName());
            }
        });
        return names;
    }

    // --- markdown ---

    private static boolean containsWord(String text, String word) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(word) + "(?![\\w-])").matcher(text).find();
    }

    private static String withoutCodeBlocks(String markdown) {
        return markdown.replaceAll("(?ms)^\\s*```.*?^\\s*```", "");
    }

    /** GitHub's anchors for the headings of a markdown file. */
    private static Set<String> headingAnchors(Path file) {
        Set<String> anchors = new TreeSet<>();
        for (String line : withoutCodeBlocks(read(file)).lines().toList()) {
            if (line.matches("#{1,6} .*")) {
                String title = line.replaceFirst("#{1,6} ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The folder holding README.md and docs/, found upwards from the working directory. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        fail("no folder with README.md and docs/ above " + Path.of("").toAbsolutePath());
        return null;
    }
}
