package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.data.CifarBinaryReader;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;

/**
 * Inputs far larger than any CIFAR-10 file, through the command line: each is refused before it is read,
 * with exit 2, one line naming the file or flag and the limit, and little memory. The large files are
 * sparse (their size is set, not written), so the tests cost no disk and no time.
 */
class OversizedInputTest {
    /** Most bytes a refused command may allocate on its thread: start-up, messages, small reads. */
    static final long REFUSAL_BYTES = 64L << 20;

    @TempDir
    Path tmp;

    /** A binary data folder of small batches. */
    Path data(String name) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve(name).resolve("cifar-10-batches-bin"));
        int shift = 0;
        for (String batch : CifarSource.BATCHES) {
            Files.write(folder.resolve(batch + ".bin"), CifarFixtures.binaryBatch(16, shift++));
        }
        return folder;
    }

    static void sparse(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** Runs {@code run} and checks it allocated at most {@code bytes} on this thread. */
    static CliRun bounded(long bytes, Supplier<CliRun> run) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        CliRun result = run.get();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= bytes, "allocated " + allocated + " bytes, more than " + bytes + "; " + result.err());
        return result;
    }

    static CliRun refusedCheaply(String... args) {
        return bounded(REFUSAL_BYTES, () -> CliRun.of(args));
    }

    @Test
    void aHugeMetaFileIsRefusedBeforeItIsRead() throws IOException {
        Path data = data("meta");
        sparse(data.resolve("batches.meta.txt"), 3L << 30);
        refusedCheaply("data", "info", "--data", data.toString()).assertRefused("batches.meta.txt", "3221225472 bytes",
                "65536");
    }

    @Test
    void aBatchOfMoreRecordsThanCifarHoldsIsRefusedByCountThenByMemory() throws IOException {
        Path data = data("records");
        long records = 698_000;
        sparse(data.resolve("data_batch_1.bin"), records * CifarBinaryReader.RECORD_BYTES);
        String out = tmp.resolve("out").toString();
        refusedCheaply("train", "--data", data.toString(), "--out", out, "--quiet", "--epochs", "1")
                .assertRefused("data_batch_1.bin", "698000 images", "10000", "--max-records");
        refusedCheaply("data", "info", "--data", data.toString()).assertRefused("data_batch_1.bin", "--max-records");
        long needed = (records + 2 * 16) * org.vectrain.engine.data.PreparedData.BYTES_PER_IMAGE;
        if (needed > Runtime.getRuntime().maxMemory()) {
            refusedCheaply("train", "--data", data.toString(), "--out", out, "--quiet", "--epochs", "1",
                    "--max-records", "698000").assertRefused(data.toString(), "MB of memory", "-Xmx");
        }
        refusedCheaply("train", "--data", data.toString(), "--out", out, "--max-records", "0")
                .assertRefused("--max-records", "0");
        refusedCheaply("train", "--data", data.toString(), "--out", out, "--max-records", "700000")
                .assertRefused("--max-records", "700000");
        assertTrue(!Files.exists(tmp.resolve("out").resolve("summary.json")), "nothing written");
    }

    @Test
    void aBatchFileThatIsAFolderIsNamedAsOne() throws IOException {
        Path data = data("folder");
        Files.delete(data.resolve("test_batch.bin"));
        Files.createDirectory(data.resolve("test_batch.bin"));
        CliRun.of("data", "info", "--data", data.toString()).assertRefused("test_batch.bin: is a folder");
    }

    @Test
    void searchesBeyondTheirBoundsAreRefusedBeforeAnythingIsMade() throws IOException {
        Path data = data("search");
        String out = tmp.resolve("search-out").toString();
        refusedCheaply("search", "--data", data.toString(), "--out", out, "--epochs", "1", "--etas",
                "0.001..0.1:1000000000").assertRefused("--etas", "1000000000 settings", "10000");
        refusedCheaply("search", "--data", data.toString(), "--out", out, "--epochs", "1", "--random", "2000000000")
                .assertRefused("--random", "2000000000", "10000");
        refusedCheaply("search", "--data", data.toString(), "--out", out, "--epochs", "40", "--lambdas",
                "0.001..1:50", "--etas", "0.001..0.1:60").assertRefused("--lambdas", "3000 settings of 40 epochs",
                "100000");
        refusedCheaply("search", "--data", data.toString(), "--out", out, "--epochs", "1", "--lambdas",
                "0.001..1:2147483647", "--etas", "0.001..1:2147483647", "--batches", "1,2,3")
                .assertRefused("--lambdas", "10000");
        assertTrue(!Files.exists(tmp.resolve("search-out").resolve("results.csv")), "nothing written");
    }

    /** A version 2.0 .npy header of {@code dimensions} dimensions, padded as NumPy pads. */
    static byte[] npyWithShape(int dimensions) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < dimensions; i++) {
            shape.append("1, ");
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "), }";
        int length = (dict.length() + 1 + 12 + 63) / 64 * 64 - 12;
        String header = dict + " ".repeat(length - dict.length() - 1) + "\n";
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(12 + length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(length);
        out.put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.array();
    }

    @Test
    void npyHeadersOfHugeShapesAndHugeInitFilesAreRefusedQuickly() throws IOException {
        Path data = data("npy");
        Path init = Files.createDirectories(tmp.resolve("init"));
        // The reproducer: a 3 MB header of 10^6 dimensions took 109 s and 2 GB, and quoted the whole shape.
        Files.write(init.resolve("W.npy"), npyWithShape(1_000_000));
        org.vectrain.engine.io.Npy.write(init.resolve("b.npy"), new float[10], 10, 1);
        long start = System.nanoTime();
        CliRun run = refusedCheaply("train", "--data", data.toString(), "--out", tmp.resolve("o").toString(), "--init",
                init.toString());
        run.assertRefused("W.npy", "3000132 bytes");
        assertTrue(run.err().length() < 400, run.err());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused in seconds");
        // Within the header limit, a shape of more dimensions than NumPy allows.
        Files.write(init.resolve("W.npy"), npyWithShape(65));
        refusedCheaply("train", "--data", data.toString(), "--out", tmp.resolve("o").toString(), "--init",
                init.toString()).assertRefused("W.npy", "more than 64 dimensions");
        // A 2 GB W.npy, sparse: refused by its size before it is read.
        Files.delete(init.resolve("W.npy"));
        sparse(init.resolve("W.npy"), 2L << 30);
        refusedCheaply("train", "--data", data.toString(), "--out", tmp.resolve("o").toString(), "--init",
                init.toString()).assertRefused("W.npy", "2147483648 bytes", "30720 values");
        refusedCheaply("train", "--data", data.toString(), "--out", tmp.resolve("o").toString(), "--init", "")
                .assertRefused("--init: the path is empty");
    }

    @Test
    void aHugeSummaryIsRefusedByCompareBeforeItIsRead() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        sparse(a.resolve("summary.json"), 708L << 20);
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(b.resolve("summary.json"), "{}");
        refusedCheaply("compare", a.toString(), b.toString()).assertRefused("RUN_A", "summary.json", "742391808 bytes",
                "67108864");
    }
}
