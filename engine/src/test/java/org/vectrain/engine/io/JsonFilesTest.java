package org.vectrain.engine.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;

class JsonFilesTest {
    @TempDir
    Path dir;

    record Epoch(int epoch, double loss, double accuracy) {
    }

    @Test
    void writesPrettyJsonThatReadsBackWithNonFiniteLossesAsStrings() throws IOException {
        Path file = dir.resolve("history.json");
        JsonFiles.write(file, Map.of("setting", "λ=0.1", "epochs",
                List.of(new Epoch(1, 2.1, 0.25), new Epoch(2, Double.NaN, 0.1), new Epoch(3, Double.POSITIVE_INFINITY, 0.1))));
        String text = Files.readString(file);
        assertTrue(text.endsWith("}\n"), text);
        assertTrue(text.contains("\n  \""), "indented: " + text);
        JsonNode tree = JsonFiles.readTree(file);
        assertEquals("λ=0.1", tree.get("setting").asText());
        assertEquals(2.1, tree.get("epochs").get(0).get("loss").asDouble());
        assertEquals("NaN", tree.get("epochs").get(1).get("loss").asText());
        assertEquals("Infinity", tree.get("epochs").get(2).get("loss").asText());
    }

    @Test
    void readErrorsNameTheFile() throws IOException {
        Path missing = dir.resolve("missing.json");
        assertEquals(missing + ": file not found", assertThrows(InputException.class, () -> JsonFiles.readTree(missing)).getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"a\": [1, 2\n");
        String message = assertThrows(InputException.class, () -> JsonFiles.readTree(broken)).getMessage();
        assertTrue(message.startsWith(broken + ": not valid JSON"), message);
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        assertTrue(assertThrows(InputException.class, () -> JsonFiles.readTree(empty)).getMessage().startsWith(empty + ": "));
    }
}
