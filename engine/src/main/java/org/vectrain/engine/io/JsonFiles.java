package org.vectrain.engine.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.vectrain.engine.InputException;
import org.vectrain.engine.MemoryBudget;

/**
 * JSON run outputs (configuration, history, metrics): written pretty-printed and atomically, read
 * back as a tree.
 *
 * <p>Non-finite numbers, which a diverged run records as its loss, are written as the strings
 * {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} (Jackson's default), so the file stays
 * valid JSON that Python's {@code json} module and {@code jq} accept.
 */
public final class JsonFiles {
    /** Thread-safe once configured; one instance for the process. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .build();

    /** Heap a parsed tree takes per byte of pretty-printed JSON of numbers, with room to spare. */
    static final long TREE_BYTES_PER_BYTE = 16;

    private JsonFiles() {
    }

    /**
     * Atomically writes {@code value} (a {@link JsonNode}, a record, a map...) pretty-printed, ending
     * in a newline.
     *
     * @throws IllegalArgumentException if Jackson cannot serialise {@code value} (a programming error)
     * @throws java.io.UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void write(Path file, Object value) {
        Objects.requireNonNull(file, "file");
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + (value == null ? "null" : value.getClass().getName())
                    + " to JSON for " + file + ": " + e.getOriginalMessage(), e);
        }
        byte[] withNewline = Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        AtomicFiles.write(file, withNewline);
    }

    /**
     * Reads a JSON document.
     *
     * @throws InputException {@code "<file>: <problem>"} if it is missing, unreadable or not JSON
     */
    public static JsonNode readTree(Path file) {
        return readTree(file, Integer.MAX_VALUE - 8);
    }

    /**
     * Reads a JSON document of at most {@code maxBytes}, refusing a larger file before it is read.
     *
     * @throws InputException as for {@link #readTree(Path)}, and when the file is larger
     */
    public static JsonNode readTree(Path file, long maxBytes) {
        Objects.requireNonNull(file, "file");
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new InputException(file + ": is a folder, expected a JSON file");
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new InputException(file + ": " + size + " bytes, more than the " + maxBytes + " accepted");
            }
            // The bytes, and the tree made of them: a node per value, several times the text it came from.
            MemoryBudget.require(TREE_BYTES_PER_BYTE * size, file.toString());
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": file not found", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new InputException(file + ": empty, expected a JSON document");
            }
            return tree;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InputException(file + ": not valid JSON (" + e.getOriginalMessage() + where + ")", e);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
