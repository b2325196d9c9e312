package org.vectrain.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.engine.InputException;

class WallBenchmarkTest {
    @TempDir
    Path tmp;

    /**
     * A stand-in for the launcher: records its arguments, writes the phases file of the command it was given
     * into --out as vectrain does, and fails when asked to.
     */
    private Path fakeLauncher() throws IOException {
        Path script = tmp.resolve("fake-vectrain");
        Files.writeString(script, String.join("\n",
                "#!/usr/bin/env bash",
                "echo \"$*\" >> \"" + tmp.resolve("calls.txt") + "\"",
                "out=''; prev=''",
                "for a in \"$@\"; do if [ \"$prev\" = --out ]; then out=\"$a\"; fi; prev=\"$a\"; done",
                "case \" $* \" in *' --fail '*) echo 'vectrain: something went wrong' >&2; exit 3;; esac",
                "mkdir -p \"$out\"",
                "phases='{\"wall_s\":0.5,\"cpu_s\":0.4,\"cores\":2,\"idle_core_s\":0.6,\"phases\":"
                        + "[{\"name\":\"epochs\",\"thread\":\"main\",\"start_s\":0.1,\"s\":0.3}]}'",
                "if [ \"$1\" = suite ]; then echo \"$phases\" > \"$out/timings.json\";",
                "else echo \"{\\\"timings\\\":$phases}\" > \"$out/summary.json\"; fi",
                "sleep 0.05", ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void everyWorkloadRunsOncePerRoundInTurnAndItsPhasesComeBack() throws IOException {
        WallBenchmark bench = new WallBenchmark(List.of(fakeLauncher().toString()), List.of("--data", "D"));
        List<WallBenchmark.Run> seen = new ArrayList<>();
        List<WallBenchmark.Run> runs = bench.run(WallBenchmark.standardWorkloads(), 2, seen::add);
        assertEquals(6, runs.size());
        assertEquals(runs, seen, "each run is reported as it ends");
        List<String> calls = Files.readAllLines(tmp.resolve("calls.txt"));
        assertEquals(6, calls.size());
        assertTrue(calls.get(0).startsWith("suite --data D --quiet --out "), calls.get(0));
        assertTrue(calls.get(1).startsWith("train --data D --quiet --out "), calls.get(1));
        assertTrue(calls.get(2).startsWith("suite --epochs 1 --data D --quiet --out "), calls.get(2));
        for (WallBenchmark.Run run : runs) {
            assertTrue(run.wallSeconds() >= 0.05, "the wall time covers the whole child: " + run.wallSeconds());
            assertEquals("epochs", run.timings().path("phases").get(0).path("name").asText(), run.toString());
        }
        assertEquals(2, runs.get(3).round());
        for (String call : calls) {
            Path out = Path.of(call.substring(call.indexOf("--out ") + "--out ".length()));
            assertFalse(Files.exists(out), "each child's folder is deleted: " + out);
        }
        WallBenchmark.Run median = WallBenchmark.median(runs.subList(0, 1));
        assertEquals(runs.get(0), median);
    }

    @Test
    void aFailingChildEndsTheBenchWithItsOwnMessage() throws IOException {
        WallBenchmark bench = new WallBenchmark(List.of(fakeLauncher().toString()), List.of());
        List<WallBenchmark.Workload> failing = List.of(new WallBenchmark.Workload("train", List.of("train", "--fail"),
                false));
        InputException e = assertThrows(InputException.class, () -> bench.run(failing, 1, run -> { }));
        assertTrue(e.getMessage().startsWith("--wall: '") && e.getMessage().contains("exit code 3")
                && e.getMessage().contains("vectrain: something went wrong"), e.getMessage());
    }

    @Test
    void wallRefusesTheOptionsOfTheEpochBenchmark() {
        for (String[] option : new String[][] {{"--numpy", "numpy_epoch.py"}, {"--epochs", "3"}, {"--phases"},
            {"--split", "all"}}) {
            List<String> args = new ArrayList<>(List.of("bench", "--wall"));
            args.addAll(List.of(option));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exit(), run.err());
            assertTrue(run.err().contains("--wall: times whole processes with their own settings; " + option[0]
                    + " does not apply to it"), run.err());
        }
    }

    @Test
    void theMedianRunIsTheMiddleOneByWallTime() {
        WallBenchmark.Workload w = WallBenchmark.standardWorkloads().get(1);
        List<WallBenchmark.Run> runs = List.of(new WallBenchmark.Run(w, 1, 3.0, null),
                new WallBenchmark.Run(w, 2, 1.0, null), new WallBenchmark.Run(w, 3, 2.0, null),
                new WallBenchmark.Run(w, 4, 5.0, null));
        assertEquals(3, WallBenchmark.median(runs).round(), "for an even count the faster middle one");
        assertEquals(3, WallBenchmark.median(runs.subList(0, 3)).round());
    }
}
