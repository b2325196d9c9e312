package org.vectrain.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;

/**
 * Where a result came from: vectrain's version and, when the jar was built from a git checkout, its commit
 * and whether the tree had uncommitted changes (both from {@code build.properties}, filled in at package
 * time), and the command line of this process, as typed and with {@code @argfile}s expanded.
 */
public final class Provenance {
    /** Options a replayed training command leaves out: where the run goes is the replayer's choice. */
    private static final Set<String> NOT_REPLAYED = Set.of("--out", "--resume", "--help", "--version");
    private static final Properties BUILD = load();

    /** The parse of this process's command line, once picocli has made it. */
    private static volatile CommandLine.ParseResult parsed;
    private static volatile List<String> typed = List.of();

    private Provenance() {
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** A property of the build, or null where the build did not know it (unfiltered, or outside git). */
    private static String build(String key) {
        String v = BUILD.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") ? null : v.strip();
    }

    /** The version the jar was built as, "development build" when run from classes Maven did not process. */
    public static String version() {
        String v = build("version");
        return v == null ? "development build" : v;
    }

    /** The full commit id the jar was built from, or null outside a git checkout. */
    public static String commit() {
        return build("commit");
    }

    /** Whether the checkout had uncommitted changes at build time; null when unknown. */
    public static Boolean dirty() {
        String d = build("dirty");
        return d == null ? null : Boolean.valueOf(d);
    }

    /** One line: version, and commit with its dirty flag where known. */
    public static String describe() {
        String commit = commit();
        if (commit == null) {
            return "vectrain " + version() + " (commit unknown: not built from a git checkout)";
        }
        return "vectrain " + version() + " (commit " + commit + (Boolean.TRUE.equals(dirty()) ? ", dirty tree" : "")
                + ")";
    }

    static void record(String[] arguments, CommandLine.ParseResult result) {
        typed = List.of(arguments);
        parsed = result;
    }

    /** The arguments as typed (after "vectrain"). */
    public static List<String> typedArguments() {
        return typed;
    }

    /** The arguments with {@code @argfile}s expanded, as picocli read them. */
    public static List<String> expandedArguments() {
        CommandLine.ParseResult p = parsed;
        return p == null ? typed : p.expandedArgs();
    }

    /** The {@code provenance} object of {@code summary.json}. */
    public static ObjectNode json() {
        // a mapper made here, not when the class loads: the command line is recorded before anything else, and
        // loading Jackson then would hold up the start of every command
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("version", version());
        if (commit() == null) {
            o.putNull("commit");
            o.putNull("dirty");
        } else {
            o.put("commit", commit());
            o.put("dirty", dirty());
        }
        o.put("command_line", commandLine());
        ArrayNode args = o.putArray("arguments");
        expandedArguments().forEach(args::add);
        return o;
    }

    /** The command as a shell would take it back: "vectrain" and the typed arguments, quoted where needed. */
    public static String commandLine() {
        StringBuilder sb = new StringBuilder("vectrain");
        for (String a : typed) {
            sb.append(' ').append(shellQuoted(a));
        }
        return sb.toString();
    }

    static String shellQuoted(String a) {
        if (!a.isEmpty() && a.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return a;
        }
        return "'" + a.replace("'", "'\\''") + "'";
    }

    /**
     * The options of the subcommand named {@code subcommand} as this process was given them, without
     * {@code --out} and {@code --resume}, as the lines of a picocli {@code @argfile} (one argument a line,
     * quoted where picocli needs it); null when this process runs another subcommand.
     */
    public static List<String> replayArguments(String subcommand) {
        CommandLine.ParseResult p = parsed;
        if (p == null || !p.hasSubcommand() || !p.subcommand().commandSpec().name().equals(subcommand)) {
            return null;
        }
        List<String> lines = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : p.subcommand().matchedOptions()) {
            if (java.util.Arrays.stream(option.names()).anyMatch(NOT_REPLAYED::contains)) {
                continue;
            }
            List<String> values = option.typedValues().isEmpty() ? List.of() : p.subcommand()
                    .matchedOption(option.longestName()).originalStringValues();
            if (option.arity().max() == 0) {
                lines.add(option.longestName());
                continue;
            }
            for (String v : values) {
                lines.add(option.longestName());
                lines.add(argfileQuoted(v));
            }
        }
        return lines;
    }

    /** picocli reads an argfile line in double quotes as one argument, with backslash escapes. */
    private static String argfileQuoted(String v) {
        if (!v.isEmpty() && !v.matches(".*[\\s\"'\\\\#@].*")) {
            return v;
        }
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
