package org.vectrain.engine.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vectrain.engine.golden.GoldenData.BATCH;
import static org.vectrain.engine.golden.GoldenData.EPOCHS;
import static org.vectrain.engine.golden.GoldenData.ETA;
import static org.vectrain.engine.golden.GoldenData.SEED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vectrain.engine.io.JsonFiles;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.EpochListener;
import org.vectrain.engine.train.EpochRecord;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Trainer;

/**
 * Golden runs: small fixed trainings on real data whose figures, produced once by the double-precision
 * {@link GoldenReference}, are kept in {@code src/test/resources/golden/*.json}; the float SIMD path (the real
 * {@link Trainer}, with the kernels this JVM chose) must reproduce them within stated tolerances.
 *
 * <p>Configuration: {@link GoldenData} (2,000 training and 1,000 validation images), batches of
 * {@value GoldenData#BATCH} in order, η = {@value GoldenData#ETA}, {@value GoldenData#EPOCHS} epochs,
 * seed {@value GoldenData#SEED}, λ = 0 and 0.1.
 * η is ten times the assignment's smallest so that three epochs move the weights far from their start.
 *
 * <p>Tolerances, and why. The float path differs from the double one by the rounding of float features
 * (the affine map is rounded once to float, 6e-8 relative), of float dot products over D = 3072 and of 60
 * float updates of W. Measured on the 512-bit kernels, losses and costs agree to 2e-8 relative, ‖W‖_F to
 * 5e-9, single entries to 2e-9 absolute; the tolerances leave a margin of about 50 over that, so that a
 * change of the method (a different normalisation, a dropped term, a changed batch order) fails, while
 * another summation order (vector width, JDK) passes:
 * <ul>
 *   <li>loss and cost: {@value #LOSS_RTOL} relative;
 *   <li>accuracy: at most {@value #MAX_FLIPS} images per set. A prediction can only change where the two
 *       best scores are within float rounding of each other; the JSON records how many images have their
 *       two best scores within 1e-4 ({@code near_ties}): 0 or 1 per set and epoch here;
 *   <li>final W: ‖W‖_F within {@value #WEIGHTS_RTOL} relative, Σ w within {@value #SUM_RTOL} ‖W‖_F
 *       absolute (a sum of entries of both signs has no scale of its own, and the small rounding differences
 *       of 30,720 entries add up in it: measured 7e-7, 0.4e-6 ‖W‖_F), each recorded entry within
 *       {@value #ENTRY_ATOL} absolute (entries are O(1e-3) to O(1e-2)). {@link ReferenceAgreementTest}
 *       compares all of W.
 * </ul>
 *
 * <p>Regenerating (after a deliberate change of the method, never to make a failing kernel pass):
 * {@code ./mvnw -o -q -B -pl engine test -Dtest=GoldenRunsTest -Dvectrain.golden.regenerate=true
 * -Dvectrain.data=DIR} rewrites the JSON files under {@code engine/src/test/resources/golden/}.
 */
class GoldenRunsTest {
    static final String REGENERATE = "vectrain.golden.regenerate";
    /** (class, dimension) entries of the final W recorded in the JSON: corners, centre, each channel. */
    static final int[][] ENTRIES = {{0, 0}, {1, 1023}, {4, 1024}, {5, 1536}, {7, 2048}, {9, 3071}};

    static final double LOSS_RTOL = 1e-6;
    static final int MAX_FLIPS = 2;
    static final double WEIGHTS_RTOL = 1e-6;
    static final double ENTRY_ATOL = 1e-7;
    static final double SUM_RTOL = 1e-5;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest(name = "golden run {0}")
    @CsvSource({"lambda-0, 0", "lambda-0.1, 0.1"})
    void floatSimdPathReproducesTheGoldenRun(String name, double lambda) {
        GoldenData data = GoldenData.get();
        JsonNode golden = Boolean.getBoolean(REGENERATE) ? regenerate(name, lambda, data) : load(name);
        assertEquals(lambda, golden.path("config").path("lambda").doubleValue(), name + ": λ in the JSON");

        TrainConfig config = new TrainConfig(lambda, ETA, BATCH, EPOCHS, SEED, false, false);
        TrainResult result;
        try (WorkerPool pool = new WorkerPool(1)) {
            result = new Trainer(KernelProvider.kernels(), pool).train(config, GoldenData.initial(SEED), data.train,
                    data.validation, null, EpochListener.NONE);
        }

        Checks checks = new Checks(name + " (" + KernelProvider.kernels().description() + ")");
        for (EpochRecord r : result.history()) {
            JsonNode g = golden.path("history").get(r.epoch() - 1);
            for (String set : new String[] {"train", "val"}) {
                var e = set.equals("train") ? r.train() : r.validation();
                JsonNode gs = g.path(set);
                String where = "epoch " + r.epoch() + " " + set + " ";
                checks.relative(where + "loss", e.loss(), gs.path("loss").doubleValue(), LOSS_RTOL);
                checks.relative(where + "cost", e.cost(), gs.path("cost").doubleValue(), LOSS_RTOL);
                checks.absolute(where + "correct", e.correct(), gs.path("correct").intValue(), MAX_FLIPS);
            }
        }
        float[] w = result.model().weights();
        JsonNode gw = golden.path("final_W");
        double[] summary = summary(GoldenData.widen(w));
        checks.relative("‖W‖_F", summary[0], gw.path("frobenius").doubleValue(), WEIGHTS_RTOL);
        checks.absolute("Σ W", summary[1], gw.path("sum").doubleValue(),
                SUM_RTOL * gw.path("frobenius").doubleValue());
        for (JsonNode entry : gw.path("entries")) {
            int k = entry.path("class").intValue();
            int d = entry.path("dim").intValue();
            checks.absolute("W[" + k + "][" + d + "]", w[k * 3072 + d], entry.path("value").doubleValue(), ENTRY_ATOL);
        }
        System.out.print(checks.report());
        assertTrue(checks.failures.isEmpty(), checks.report());
    }

    /** {‖W‖_F, Σ w, Σ |w|}. */
    static double[] summary(double[] w) {
        double sum = 0;
        double sumAbs = 0;
        for (double v : w) {
            sum += v;
            sumAbs += Math.abs(v);
        }
        return new double[] {Math.sqrt(GoldenReference.squaredNorm(w)), sum, sumAbs};
    }

    private static JsonNode load(String name) {
        String resource = "/golden/" + name + ".json";
        try (InputStream in = GoldenRunsTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing; regenerate with -D" + REGENERATE + "=true");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the double reference and writes its JSON into the source tree (not target/). */
    private static JsonNode regenerate(String name, double lambda, GoldenData data) {
        SoftmaxModel init = GoldenData.initial(SEED);
        GoldenReference.Result r = data.reference.train(data.xTrain(), data.yTrain, data.xValidation(), data.yValidation,
                GoldenData.widen(init.weights()), GoldenData.widen(init.bias()), ETA, lambda, BATCH, EPOCHS);
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", name);
        root.put("produced_by", "GoldenReference: mini-batch gradient descent in double precision, plain loops; "
                + "regenerate with -D" + REGENERATE + "=true (see docs/testing.md, numerical regression)");
        root.put("data", GoldenData.DESCRIPTION);
        ObjectNode config = root.putObject("config");
        config.put("lambda", lambda);
        config.put("eta", ETA);
        config.put("n_batch", BATCH);
        config.put("n_epochs", EPOCHS);
        config.put("seed", SEED);
        config.put("shuffle", false);
        config.put("init", "SoftmaxModel.gaussian from RandomStreams(seed).init(): float32 N(0, 0.01^2) W and b, "
                + "widened to double");
        ArrayNode history = root.putArray("history");
        for (GoldenReference.Epoch e : r.history()) {
            ObjectNode o = history.addObject();
            o.put("epoch", e.epoch());
            o.set("train", figures(e.train()));
            o.set("val", figures(e.validation()));
        }
        double[] summary = summary(r.w());
        ObjectNode w = root.putObject("final_W");
        w.put("frobenius", summary[0]);
        w.put("sum", summary[1]);
        w.put("sum_abs", summary[2]);
        ArrayNode entries = w.putArray("entries");
        for (int[] e : ENTRIES) {
            entries.addObject().put("class", e[0]).put("dim", e[1]).put("value", r.w()[e[0] * 3072 + e[1]]);
        }
        ArrayNode b = root.putArray("final_b");
        for (double v : r.b()) {
            b.add(v);
        }
        Path file = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "golden", name + ".json");
        JsonFiles.write(file, root);
        System.out.println("regenerated " + file.toAbsolutePath());
        return root;
    }

    private static ObjectNode figures(GoldenReference.Figures f) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("loss", f.loss());
        o.put("cost", f.cost());
        o.put("accuracy", f.accuracy());
        o.put("correct", f.correct());
        o.put("count", f.count());
        o.put("near_ties", f.nearTies());
        return o;
    }

    /** Collected comparisons: every row is reported (measured figures), failures are asserted together. */
    static final class Checks {
        private final String title;
        private final List<String> rows = new ArrayList<>();
        final List<String> failures = new ArrayList<>();
        private double worstRatio = -1;
        private String worst = "";

        Checks(String title) {
            this.title = title;
        }

        void relative(String what, double actual, double expected, double rtol) {
            double rel = Math.abs(actual - expected) / Math.abs(expected);
            add(what, actual, expected, String.format(Locale.ROOT, "rel %.2e (tol %.0e)", rel, rtol), rel / rtol);
        }

        void absolute(String what, double actual, double expected, double atol) {
            double abs = Math.abs(actual - expected);
            add(what, actual, expected, String.format(Locale.ROOT, "abs %.2e (tol %.1e)", abs, atol),
                    abs == 0 ? 0 : abs / atol);
        }

        private void add(String what, double actual, double expected, String diff, double ratio) {
            String row = String.format(Locale.ROOT, "  %-22s float %-14.8g golden %-14.8g %s%s", what, actual,
                    expected, diff, ratio <= 1 ? "" : "  FAIL");
            rows.add(row);
            if (!(ratio <= 1)) {
                failures.add(row);
            }
            if (ratio > worstRatio || Double.isNaN(ratio)) {
                worstRatio = ratio;
                worst = what;
            }
        }

        String report() {
            return title + ": " + (failures.isEmpty() ? "OK" : "NOT OK, " + failures.size() + " over tolerance")
                    + String.format(Locale.ROOT, "; largest difference relative to its tolerance: %s (%.2f of it)%n",
                            worst, worstRatio)
                    + String.join("\n", rows) + "\n";
        }
    }
}
