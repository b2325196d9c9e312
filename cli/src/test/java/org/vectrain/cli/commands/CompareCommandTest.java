package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vectrain.cli.CliRun;
import org.vectrain.cli.ExitCodes;
import org.vectrain.engine.data.CifarFixtures;
import org.vectrain.engine.data.CifarSources;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.data.Normalization;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.EpochListener;
import org.vectrain.engine.train.RandomStreams;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.RunFiles;
import org.vectrain.engine.train.RunSummary;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Trainer;

/**
 * {@code vectrain compare} on run folders trained here on 1,000 real images: a run agrees with its repeat;
 * the same run with η × 1.001 does not (exit 1), although every figure moves by well under a percent; input
 * it cannot compare is refused in one line (exit 2).
 */
class CompareCommandTest {
    static final double ETA = 0.01;
    static final double LAMBDA = 0.1;

    @TempDir
    static Path tmp;
    static Path base;
    static Path repeat;
    static Path perturbed;
    static Path longer;

    @BeforeAll
    static void trainRuns() {
        LabeledImages images = CifarSources.open(CifarFixtures.realData()).read("data_batch_1");
        Normalization normalization = Normalization.fit(images.slice(0, 1000, "train"));
        DataSet train = DataSet.of("train", images.slice(0, 1000, "train"), normalization);
        DataSet val = DataSet.of("validation", images.slice(1000, 1500, "validation"), normalization);
        base = run("base", train, val, ETA, 2);
        repeat = run("repeat", train, val, ETA, 2);
        perturbed = run("perturbed", train, val, ETA * 1.001, 2);
        longer = run("longer", train, val, ETA, 3);
    }

    static Path run(String name, DataSet train, DataSet val, double eta, int epochs) {
        TrainConfig config = new TrainConfig(LAMBDA, eta, 100, epochs, 3, false, false);
        SoftmaxModel init = SoftmaxModel.gaussian(10, LabeledImages.PIXELS, new RandomStreams(3).init(), false);
        TrainResult result;
        try (WorkerPool pool = new WorkerPool(1)) {
            result = new Trainer(KernelProvider.kernels(), pool).train(config, init, train, val, null,
                    EpochListener.NONE);
        }
        Path folder = tmp.resolve(name);
        RunFiles.write(folder, result, RunSummary.toJson(config, new ObjectMapper().createObjectNode(), "gaussian",
                result, RunEnvironment.current(KernelProvider.kernels().description(), 1)));
        return folder;
    }

    @Test
    void aRunAgreesWithItsRepeatAndThePlotIsWritten() throws Exception {
        Path plot = tmp.resolve("plots/overlay.png");
        CliRun run = CliRun.of("compare", base.toString(), repeat.toString(), "--plot", plot.toString());
        run.assertOk();
        assertTrue(run.out().contains("AGREE: "), run.out());
        assertTrue(run.out().contains("‖Wa − Wb‖/‖Wb‖ = 0.00e+00"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("epoch  Δ train loss")), run.out());
        assertTrue(run.out().contains("configuration: the same"), run.out());
        assertTrue(run.out().contains("validation accuracy: the same, "), run.out());
        assertTrue(Files.size(plot) > 1000, "plot written");
    }

    @Test
    void theRunsAreShownSideBySideBeforeTheVerdict() {
        CliRun run = CliRun.of("compare", perturbed.toString(), base.toString());
        String out = run.out();
        int sideBySide = out.indexOf("last validation accuracy");
        int verdict = out.indexOf("DISAGREE: ");
        assertTrue(sideBySide > 0 && sideBySide < verdict, out);
        for (String row : new String[] {"setting", "epochs", "last training loss", "last validation cost",
            "last training accuracy", "test accuracy", "kernels"}) {
            assertTrue(out.lines().anyMatch(l -> l.startsWith(row + " ")), row + " in:\n" + out);
        }
        // these runs were never measured on the test set: "-", never NaN
        String test = out.lines().filter(l -> l.startsWith("test accuracy ")).findFirst().orElseThrow();
        assertTrue(test.matches("test accuracy\\s+-\\s+-\\s+-"), test);
        assertTrue(!out.contains("NaN"), out);
        String config = out.lines().filter(l -> l.startsWith("configuration")).findFirst().orElseThrow();
        assertTrue(config.matches("configuration differences \\(A vs B\\): eta: 0\\.0100\\d* vs 0\\.01"), config);
        assertTrue(out.contains("validation accuracy: ") && out.contains("test accuracy: measured by neither run"),
                out);
        assertTrue(CompareCommand.better("validation accuracy", 0.4012, 0.3977)
                .equals("validation accuracy: A is better by 0.35 points (40.12 % against 39.77 %)"));
        assertTrue(CompareCommand.better("test accuracy", 0.30, 0.31).startsWith("test accuracy: B is better by 1.00"));
    }

    @Test
    void etaTimes1001IsCaught() {
        CliRun run = CliRun.of("compare", perturbed.toString(), base.toString());
        System.out.print(run.out());
        assertEquals(ExitCodes.CHECK_FAILED, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("DISAGREE: "), run.out());
        assertTrue(run.out().contains("beyond tolerance: "), run.out());
        // loose enough tolerances let it pass: the verdict follows the flags
        CliRun loose = CliRun.of("compare", perturbed.toString(), base.toString(), "--rtol", "1e-2", "--acc-tol",
                "0.05", "--weights-rtol", "1e-2");
        loose.assertOk();
    }

    @Test
    void inputThatCannotBeComparedIsRefused() throws Exception {
        CliRun.of("compare", tmp.resolve("nowhere").toString(), base.toString()).assertRefused("RUN_A", "nowhere",
                "not a folder");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun.of("compare", base.toString(), empty.toString()).assertRefused("RUN_B", "summary.json");
        CliRun.of("compare", longer.toString(), base.toString()).assertRefused("3 epochs", "2");
        CliRun.of("compare", base.toString(), repeat.toString(), "--rtol", "-1").assertRefused("--rtol");
        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.writeString(broken.resolve("summary.json"), "{\"format\": 1, \"history\": [{\"epoch\": 1}]}");
        CliRun.of("compare", broken.toString(), base.toString()).assertRefused("RUN_A", "history[0].train.loss",
                "missing");
    }
}
