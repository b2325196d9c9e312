package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.DataSet;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.kernels.provider.KernelProvider;
import org.vectrain.engine.model.SoftmaxModel;
import org.vectrain.engine.parallel.WorkerPool;
import org.vectrain.engine.train.HyperSearch.Candidate;
import org.vectrain.engine.train.HyperSearch.Values;

/** Candidates of grid and random search, the ranking on validation accuracy, and the lean evaluation. */
class HyperSearchTest {

    @Test
    void assignmentGridHas18Points() {
        List<Candidate> grid = HyperSearch.grid(
                new Values("--lambdas", HyperSearch.ASSIGNMENT_LAMBDAS, 0, 0, 3),
                new Values("--etas", HyperSearch.ASSIGNMENT_ETAS, 0, 0, 2),
                new Values("--batches", HyperSearch.ASSIGNMENT_BATCHES, 0, 0, 3));
        assertEquals(18, grid.size());
        assertEquals(18, grid.stream().distinct().count());
        assertEquals(new Candidate(0.1, 0.1, 10), grid.get(0));
        assertEquals(new Candidate(2, 0.001, 200), grid.get(17));
    }

    @Test
    void rangesAndLists() {
        Values range = Values.parse("--lambdas", "1e-4..1:5");
        List<Double> grid = range.grid();
        assertEquals(5, grid.size());
        assertEquals(1e-4, grid.get(0), 1e-18);
        assertEquals(1e-2, grid.get(2), 1e-15);
        assertEquals(1, grid.get(4), 1e-12);
        assertEquals(List.of(0.1, 2.0), Values.parse("--etas", "0.1, 2").grid());
        assertTrue(assertThrows(InputException.class, () -> Values.parse("--etas", "0..1")).getMessage()
                .startsWith("--etas"));
        assertTrue(assertThrows(InputException.class, () -> Values.parse("--lambdas", "a,b")).getMessage()
                .startsWith("--lambdas"));
    }

    @Test
    void randomDrawsAreLogUniformAndSeeded() {
        Values lambda = Values.parse("--lambdas", "1e-4..1");
        Values eta = Values.parse("--etas", "0.001");
        Values batch = Values.parse("--batches", "50,100");
        List<Candidate> a = HyperSearch.random(400, lambda, eta, batch, new RandomStreams(3).search());
        assertEquals(a, HyperSearch.random(400, lambda, eta, batch, new RandomStreams(3).search()));
        int belowHundredth = 0;
        for (Candidate c : a) {
            assertTrue(c.lambda() >= 1e-4 && c.lambda() <= 1, "λ " + c.lambda());
            belowHundredth += c.lambda() < 1e-2 ? 1 : 0;
        }
        // log-uniform: half of the draws below the geometric middle, 1e-2 (uniform would give 1 %)
        assertTrue(belowHundredth > 150 && belowHundredth < 250, belowHundredth + " of 400 below 1e-2");
        assertTrue(assertThrows(InputException.class, () -> HyperSearch.random(0, lambda, eta, batch,
                new RandomStreams(3).search())).getMessage().startsWith("count "));
    }

    static TrainResult withValidation(double... accuracies) {
        List<EpochRecord> history = new java.util.ArrayList<>();
        for (int e = 0; e < accuracies.length; e++) {
            history.add(new EpochRecord(e + 1, 0.1, Trainer.NOT_MEASURED,
                    new Evaluation(1, 1, accuracies[e], 0, 100), 0, 0));
        }
        return new TrainResult(null, null, history, null, null, 0);
    }

    @Test
    void rankingIsByTheValidationAccuracyOfTheReturnedModel() {
        List<TrainResult> results = List.of(withValidation(0.3, 0.2), withValidation(0.1, 0.25),
                new TrainResult(null, null, List.of(), null, "diverged", 0), withValidation(0.25));
        assertEquals(List.of(1, 3, 0, 2), HyperSearch.ranking(results));
    }

    @Test
    void withoutTrainingFiguresTheWeightsAreTheSame() {
        DataSet train = TrainFixtures.synthetic(80, 1);
        DataSet val = TrainFixtures.synthetic(40, 2);
        TrainConfig config = new TrainConfig(0.01, 0.05, 20, 3, 7, true, false);
        SoftmaxModel init = SoftmaxModel.gaussian(10, train.dim(), new RandomStreams(7).init(), false);
        try (WorkerPool pool = new WorkerPool(1)) {
            Trainer trainer = new Trainer(KernelProvider.vector(), pool);
            TrainResult full = trainer.train(config, init, train, val, null, EpochListener.NONE);
            TrainResult lean = trainer.train(config, init, train, val, null, EpochListener.NONE, false);
            assertArrayEquals(full.model().weights(), lean.model().weights());
            assertEquals(Trainer.NOT_MEASURED, lean.history().get(0).train());
            assertEquals(full.history().get(2).train(), lean.history().get(2).train(), "the returned model's");
            assertEquals(full.history().get(1).validation(), lean.history().get(1).validation());
        }
    }
}
