package org.vectrain.cli.commands;

import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.ClassScores;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.eval.Evaluator;
import org.vectrain.engine.eval.TwoLayerEvaluator;
import org.vectrain.engine.kernels.Kernels;
import org.vectrain.engine.kernels.TwoLayerKernels;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.ModelFiles;
import org.vectrain.engine.model.TwoLayerModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.Loss;

/**
 * Scores and figures of a trained model read from its folder, whichever kind it is: the linear classifier through
 * the one-layer kernels, the two-layer network through its own (W1's rows laid out as they read them).
 */
final class ModelScores {
    private ModelScores() {
    }

    /** The network of {@code trained} in the kernels' layout; null for a linear classifier. */
    private static TwoLayerModel network(ModelFiles.TrainedModel trained) {
        TwoLayerModel network = trained.network();
        return network == null ? null : network.withStride(TwoLayerKernels.weightStride(network.dim()));
    }

    /**
     * Class-major scores of every sample of {@code set} (class k of sample j at {@code [k * n + j]}), with the
     * scalar kernels when {@code scalar} (few images: they finish before the vector kernels are compiled).
     */
    static float[] scores(ModelFiles.TrainedModel trained, DataSet set, boolean scalar, int threads) {
        Kernels kernels = scalar ? KernelProvider.scalar() : KernelProvider.kernels();
        TwoLayerModel network = network(trained);
        if (network == null) {
            return ClassScores.of(kernels, trained.model(), set);
        }
        TwoLayerKernels twoLayer = scalar ? KernelProvider.twoLayerScalar() : KernelProvider.twoLayerKernels();
        try (WorkerPool pool = new WorkerPool(threads)) {
            return new TwoLayerEvaluator(twoLayer, kernels.softmaxLoss(), pool, network.classes(),
                    network.dim(), network.hidden()).scores(network, set);
        }
    }

    /** Loss, cost and accuracy of {@code trained} on {@code set}, its arg-max class of sample i into predictions[i]. */
    static Evaluation evaluate(ModelFiles.TrainedModel trained, DataSet set, int[] predictions, int threads) {
        Kernels kernels = KernelProvider.kernels();
        Loss loss = Loss.parse(trained.loss());
        TwoLayerModel network = network(trained);
        try (WorkerPool pool = new WorkerPool(threads)) {
            if (network == null) {
                return new Evaluator(kernels, pool, trained.classes(), loss.kernel(kernels))
                        .evaluate(trained.model(), set, trained.lambda(), predictions);
            }
            return new TwoLayerEvaluator(KernelProvider.twoLayerKernels(), loss.kernel(kernels), pool,
                    network.classes(), network.dim(), network.hidden()).evaluate(network, set, trained.lambda(),
                            predictions);
        }
    }
}
