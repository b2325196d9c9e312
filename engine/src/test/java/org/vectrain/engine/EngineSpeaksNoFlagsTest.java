package org.vectrain.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's messages name parameters and files, never the command line's flags: no string literal in
 * the engine's sources holds a {@code --flag}. The one exception is the JVM's own option that the kernel
 * provider's warning names. (The command line maps parameter names to its flags; see ParameterFlags.)
 */
class EngineSpeaksNoFlagsTest {
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern FLAG = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");
    private static final List<String> JVM_OPTIONS = List.of("--add-modules");

    @Test
    void noStringLiteralNamesAFlag() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher literal = STRING_LITERAL.matcher(lines.get(i));
                    while (literal.find()) {
                        Matcher flag = FLAG.matcher(literal.group());
                        while (flag.find()) {
                            if (!JVM_OPTIONS.contains(flag.group())) {
                                found.add(SOURCES.relativize(file) + ":" + (i + 1) + ": " + flag.group());
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "flags named in engine strings");
    }
}
