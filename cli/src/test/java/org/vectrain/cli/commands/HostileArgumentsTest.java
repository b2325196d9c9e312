package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.io.Npy;

/**
 * Hyper-parameters at and beyond their limits, and degenerate data sets, through the command line:
 * each is refused with one line naming the flag or file (exit 2), or runs to a well-defined result;
 * never a stack trace, never exit 70. The flags the other CLI tests already refuse (η of 0, -1, NaN,
 * Infinity; λ of -0.5; batch 0 and one above the set) are not repeated here.
 */
class HostileArgumentsTest {
    @TempDir
    Path tmp;

    /** A binary data folder with {@code images} records in every batch. */
    private Path data(String name, int images) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve(name).resolve("cifar-10-batches-bin"));
        int shift = 0;
        for (String batch : CifarSource.BATCHES) {
            Files.write(folder.resolve(batch + ".bin"), CifarFixtures.binaryBatch(images, shift++));
        }
        return folder;
    }

    private CliRun train(Path data, Path out, String... flags) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", out.toString(),
                "--quiet"));
        List<String> given = List.of(flags);
        for (String[] flag : new String[][] {{"--epochs", "2"}, {"--batch", "8"}, {"--threads", "1"}}) {
            if (!given.contains(flag[0])) {
                args.addAll(List.of(flag));
            }
        }
        args.addAll(given);
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertNoStackTrace(CliRun run) {
        assertFalse(run.err().contains("\tat ") || run.err().contains("Exception"), run.err());
        assertTrue(run.exit() != ExitCodes.INTERNAL, run.err());
    }

    @Test
    void outOfRangeAndNonFiniteFlagsAreRefusedByName() throws IOException {
        Path data = data("d", 16);
        Path out = tmp.resolve("refused");
        String[][] cases = {
            {"--eta", "1e7"}, {"--eta", "-Infinity"}, {"--eta", "1e400"}, {"--eta", "0x1p-1080"},
            {"--lambda", "NaN"}, {"--lambda", "Infinity"}, {"--lambda", "1e7"}, {"--lambda", "-0.0000001"},
            {"--batch", "-1"}, {"--batch", "2147483647"}, {"--batch", "99999999999"}, {"--batch", "1.5"},
            {"--epochs", "-3"}, {"--epochs", "100001"}, {"--epochs", "2147483648"},
            {"--threads", "-1"}, {"--seed", "9223372036854775808"}, {"--seed", "x"},
            {"--split", ""}, {"--split", "all", "--val-size", "-1"}, {"--split", "all", "--val-size", "0"},
            {"--split", "all", "--val-size", "2147483647"}, {"--eta", ""},
        };
        List<String> notRefused = new ArrayList<>();
        for (String[] flag : cases) {
            CliRun run = train(data, out, flag);
            boolean refused = run.exit() == ExitCodes.USAGE && run.err().startsWith("vectrain: ")
                    && run.err().strip().lines().count() == 1 && run.err().contains(flag[flag.length - 2]);
            if (!refused) {
                notRefused.add(String.join(" ", flag) + " -> exit " + run.exit() + ": " + run.err().strip());
            }
        }
        assertEquals(List.of(), notRefused, "every case refused with one line naming its flag");
        assertFalse(Files.exists(out.resolve("summary.json")), "nothing written by a refused run");
    }

    @Test
    void extremeButValidSettingsRunToAWellDefinedEnd() throws IOException {
        Path data = data("d", 16);
        // A vanishing step leaves the weights where they started, to float precision.
        Path tiny = tmp.resolve("tiny");
        train(data, tiny, "--eta", "1e-30").assertOk();
        float[] start = Npy.read(tiny.resolve("init/W.npy")).data();
        float[] end = Npy.read(tiny.resolve("W.npy")).data();
        assertTrue(java.util.Arrays.equals(start, end), "η = 1e-30 moves no weight");
        // The largest accepted step either trains or diverges, and says which.
        CliRun huge = train(data, tmp.resolve("huge"), "--eta", "1e6", "--lambda", "1e6");
        assertNoStackTrace(huge);
        assertTrue(huge.exit() == ExitCodes.OK || huge.exit() == ExitCodes.CHECK_FAILED, huge.err());
        String status = JsonFiles.readTree(tmp.resolve("huge").resolve("summary.json")).get("status").asText();
        assertEquals(huge.exit() == ExitCodes.OK ? "completed" : "diverged", status);
        // n_batch equal to the set: one step per epoch; the smallest seed and batch are valid too.
        train(data, tmp.resolve("whole"), "--batch", "16").assertOk();
        train(data, tmp.resolve("one"), "--batch", "1", "--seed", "-9223372036854775808", "--shuffle").assertOk();
        // More threads than there is work.
        train(data, tmp.resolve("threads"), "--threads", "64").assertOk();
    }

    @Test
    void oneImageDataSetTrainsWithDefinedFigures() throws IOException {
        Path data = data("one", 1);
        Path out = tmp.resolve("single");
        train(data, out, "--batch", "1").assertOk();
        JsonNode summary = JsonFiles.readTree(out.resolve("summary.json"));
        assertEquals("completed", summary.get("status").asText());
        double accuracy = summary.at("/test/accuracy").asDouble(-1);
        assertTrue(accuracy == 0 || accuracy == 1, "one test image: accuracy 0 or 1, got " + accuracy);
        assertTrue(Double.isFinite(summary.at("/test/loss").asDouble(Double.NaN)), "finite loss on one image");
        train(data, tmp.resolve("single-2"), "--batch", "2").assertRefused("--batch", "2");
        CliRun all = CliRun.of("train", "--data", data.toString(), "--out", tmp.resolve("all").toString(), "--quiet",
                "--split", "all", "--val-size", "1", "--epochs", "1", "--batch", "1");
        assertNoStackTrace(all);
        assertTrue(all.exit() == ExitCodes.OK || all.exit() == ExitCodes.USAGE, all.err());
        CliRun allInValidation = CliRun.of("train", "--data", data.toString(), "--out", tmp.resolve("none").toString(),
                "--quiet", "--split", "all", "--val-size", "5", "--epochs", "1", "--batch", "1");
        allInValidation.assertRefused("--val-size");
    }

    @Test
    void emptyAndTruncatedDataSetsAreRefusedNamingTheFile() throws IOException {
        Path empty = data("empty", 0);
        train(empty, tmp.resolve("e"), new String[0]).assertRefused("_batch", ".bin: file is empty");
        Path truncated = data("truncated", 4);
        Path batch = truncated.resolve("data_batch_2.bin");
        Files.write(batch, java.util.Arrays.copyOf(Files.readAllBytes(batch), 4 * 3073 - 100));
        train(truncated, tmp.resolve("t"), new String[0]).assertRefused("data_batch_2.bin", "not a whole number");
        CliRun info = CliRun.of("data", "info", "--data", truncated.toString());
        info.assertRefused("data_batch_2.bin");
        Path badLabel = data("label", 4);
        byte[] bytes = Files.readAllBytes(badLabel.resolve("test_batch.bin"));
        bytes[3073] = (byte) 200;
        Files.write(badLabel.resolve("test_batch.bin"), bytes);
        train(badLabel, tmp.resolve("l"), new String[0]).assertRefused("test_batch.bin", "label 200");
    }

    @Test
    void corruptOrNonFiniteInitialWeightsAreRefusedOrReported() throws IOException {
        Path data = data("d", 16);
        Path truncated = Files.createDirectories(tmp.resolve("truncated-init"));
        Npy.write(truncated.resolve("W.npy"), new float[10 * 3072], 10, 3072);
        Npy.write(truncated.resolve("b.npy"), new float[10], 10, 1);
        byte[] w = Files.readAllBytes(truncated.resolve("W.npy"));
        Files.write(truncated.resolve("W.npy"), java.util.Arrays.copyOf(w, w.length - 4));
        train(data, tmp.resolve("t"), "--init", truncated.toString()).assertRefused("truncated-init/W.npy", "truncated");

        Path nonFinite = Files.createDirectories(tmp.resolve("nan-init"));
        float[] weights = new float[10 * 3072];
        weights[5] = Float.NaN;
        Npy.write(nonFinite.resolve("W.npy"), weights, 10, 3072);
        Npy.write(nonFinite.resolve("b.npy"), new float[10], 10, 1);
        CliRun run = train(data, tmp.resolve("n"), "--init", nonFinite.toString());
        assertNoStackTrace(run);
        assertTrue(run.exit() == ExitCodes.USAGE || run.exit() == ExitCodes.CHECK_FAILED, run.exit() + ": " + run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    @Test
    void emptyOutputPathsAndPlotsThatNameFoldersAreRefusedByName() throws IOException {
        Path data = data("d", 16);
        Path cwd = Path.of("").toAbsolutePath();
        train(data, Path.of("")).assertRefused("--out: the path is empty");
        CliRun.of("suite", "--data", data.toString(), "--out", "", "--epochs", "1", "--quiet")
                .assertRefused("--out: the path is empty");
        CliRun.of("search", "--data", data.toString(), "--out", "", "--epochs", "1", "--quiet")
                .assertRefused("--out: the path is empty");
        assertFalse(Files.exists(cwd.resolve("summary.json")), "nothing written into the current folder");
        Path run = tmp.resolve("run");
        train(data, run).assertOk();
        CliRun.of("compare", run.toString(), run.toString(), "--plot", "/").assertRefused("--plot /", "is a folder");
        CliRun.of("compare", run.toString(), run.toString(), "--plot", tmp.toString()).assertRefused("--plot",
                "is a folder");
        CliRun.of("compare", run.toString(), run.toString(), "--plot", "").assertRefused("--plot: the path is empty");
        CliRun.of("compare", run.toString(), run.toString(), "--plot", tmp.resolve("loss.png").toString()).assertOk();
    }
}
