package org.vectrain.engine.golden;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.EpochListener;
import org.vectrain.engine.train.RunEnvironment;
import org.vectrain.engine.train.RunFiles;
import org.vectrain.engine.train.RunSummary;
import org.vectrain.engine.train.TrainConfig;
import org.vectrain.engine.train.TrainResult;
import org.vectrain.engine.train.Trainer;

/**
 * The golden λ = 0.1 configuration trained with whatever kernels this JVM chose ({@code -Dvectrain.simd=...}),
 * written as an ordinary run folder ({@code summary.json}, {@code W.npy}, ...) so that {@code vectrain compare}
 * reads it. {@link CrossWidthAgreementTest} starts one JVM of this per vector width, because the species is
 * fixed per JVM.
 *
 * <p>Usage: {@code WidthRun OUT_DIR}; the data comes from {@code VECTRAIN_TEST_DATA}, as for the tests.
 */
public final class WidthRun {
    static final double LAMBDA = 0.1;

    private WidthRun() {
    }

    public static void main(String[] args) {
        Path out = Path.of(args[0]);
        GoldenData data = GoldenData.get();
        Kernels kernels = KernelProvider.kernels();
        TrainConfig config = new TrainConfig(LAMBDA, GoldenData.ETA, GoldenData.BATCH, GoldenData.EPOCHS,
                GoldenData.SEED, false, false);
        TrainResult result;
        try (WorkerPool pool = new WorkerPool(1)) {
            result = new Trainer(kernels, pool).train(config, GoldenData.initial(GoldenData.SEED), data.train,
                    data.validation, null, EpochListener.NONE);
        }
        ObjectNode about = new ObjectMapper().createObjectNode().put("source", GoldenData.DESCRIPTION);
        RunFiles.write(out, result, RunSummary.toJson(config, about, "gaussian N(0, 0.01^2), seed "
                + GoldenData.SEED, result, RunEnvironment.current(kernels.description(), 1)));
        System.out.println(kernels.description() + " on " + System.getProperty("java.version") + " -> " + out);
    }
}
