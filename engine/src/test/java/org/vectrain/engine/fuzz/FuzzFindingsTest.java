package org.vectrain.engine.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.TarballExtractor;
import org.vectrain.engine.io.Npy;

/** One test per input the fuzz tests found mishandled, each with the smallest input that shows it. */
class FuzzFindingsTest {
    @TempDir
    Path tmp;

    /** A header is any bytes: its excerpt in the message carries no line end, and a key is quoted escaped. */
    @Test
    void npyHeaderMessagesStayOnePrintableLine() {
        for (String dictionary : new String[] {"{'descr': '<f4'), }\n\r\u0001 ", "{'\n\u00e9x': 1}"}) {
            String header = dictionary + " ".repeat(53 - dictionary.length()) + "\n";
            byte[] file = new byte[10 + header.length()];
            System.arraycopy(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0}, 0,
                    file, 0, 10);
            System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, file, 10, header.length());
            String message = assertThrows(InputException.class, () -> Npy.decode(file, "x.npy")).getMessage();
            assertTrue(message.startsWith("x.npy: malformed .npy header"), message);
            assertTrue(message.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only: " + message);
        }
    }

    /** A 300-byte name step is bad input, not a write error ("File name too long", exit 3). */
    @Test
    void tarballEntryNamesTooLongForTheFileSystemAreBadInput() throws IOException {
        Path tarball = new CifarFixtures.Tarball().file("cifar-10-batches-bin/" + "n".repeat(300), new byte[1])
                .write(tmp.resolve("long.tar.gz"));
        String message = assertThrows(InputException.class,
                () -> TarballExtractor.extractInto(tarball, tmp.resolve("out"))).getMessage();
        assertTrue(message.contains("longer than 255 bytes"), message);
        Path deep = new CifarFixtures.Tarball().file("cifar-10-batches-bin/" + "d/".repeat(600) + "f", new byte[1])
                .write(tmp.resolve("deep.tar.gz"));
        message = assertThrows(InputException.class,
                () -> TarballExtractor.extractInto(deep, tmp.resolve("out"))).getMessage();
        assertTrue(message.contains("more than the 1024 accepted"), message);
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(2, left.count(), "only the two tarballs: no output folder, no temporary folder");
        }
        assertFalse(Files.exists(tmp.resolve("out").resolve("cifar-10-batches-bin")));
    }

    /** A list of only commas ({@code --etas ,,}) once parsed as no value, and random search failed drawing from it. */
    @Test
    void aListOfOnlyCommasIsRefused() {
        String message = assertThrows(InputException.class,
                () -> org.vectrain.engine.train.HyperSearch.Values.parse("--etas", ",,")).getMessage();
        assertEquals("--etas: ',,' holds no value", message);
        message = assertThrows(InputException.class,
                () -> org.vectrain.engine.train.HyperSearch.Values.parse("--etas", "1\n,x")).getMessage();
        assertFalse(message.contains("\n"), "a value with a line end is quoted on one line: " + message);
    }
}
