package org.vectrain.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vectrain.engine.eval.Evaluation;
import org.vectrain.engine.train.EpochRecord;
import org.vectrain.engine.train.Trainer;

/**
 * The log lines of runs side by side, as a file or a pipe receives them (no terminal here): grouped by run in
 * start order whatever order the epochs arrive in, the training figures left out when not measured.
 */
class ProgressDisplayTest {
    private static EpochRecord epoch(int n, boolean trainMeasured) {
        Evaluation val = new Evaluation(1.5, 1.6, 0.42, 420, 1000);
        Evaluation train = trainMeasured ? new Evaluation(1.25, 1.35, 0.5, 500, 1000) : Trainer.NOT_MEASURED;
        return new EpochRecord(n, 0.01, train, val, 12.5, 3.0);
    }

    @Test
    void linesAreGroupedByRunInStartOrder() {
        StringWriter text = new StringWriter();
        try (ProgressDisplay display = new ProgressDisplay("test", 6, 3, 0, false, new PrintWriter(text))) {
            ProgressDisplay.Run a = display.run("run a");
            ProgressDisplay.Run b = display.run("run bb");
            ProgressDisplay.Run c = display.run("run c");
            b.listener().epochDone(epoch(1, true), 2);
            c.listener().epochDone(epoch(1, true), 2);
            a.listener().epochDone(epoch(1, true), 2);
            b.listener().epochDone(epoch(2, true), 2);
            b.finished();
            assertEquals(1, text.toString().lines().count(), "only the first unfinished run prints at once");
            a.listener().epochDone(epoch(2, true), 2);
            a.finished();
            assertEquals(5, text.toString().lines().count(), "a's end releases b's lines and c's so far");
            c.listener().epochDone(epoch(2, true), 2);
        }
        List<String> lines = text.toString().lines().toList();
        assertEquals(List.of("run a   epoch 1/2", "run a   epoch 2/2", "run bb  epoch 1/2", "run bb  epoch 2/2",
                "run c   epoch 1/2", "run c   epoch 2/2"), lines.stream().map(l -> l.substring(0, 17)).toList());
        assertTrue(lines.get(0).endsWith("train loss 1.2500 acc  50.00%  val loss 1.5000 acc  42.00%  (training "
                + "12.5 ms, evaluation 3.0 ms)"), lines.get(0));
    }

    @Test
    void figuresThatWereNotMeasuredAreLeftOut() {
        StringWriter text = new StringWriter();
        try (ProgressDisplay display = new ProgressDisplay("test", 1, 1, 0, false, new PrintWriter(text))) {
            display.run("search run").listener().epochDone(epoch(1, false), 1);
        }
        assertEquals("search run  epoch 1/1  val loss 1.5000 acc  42.00%  (training 12.5 ms, evaluation 3.0 ms)\n",
                text.toString());
    }

    @Test
    void quietPrintsNothing() {
        StringWriter text = new StringWriter();
        try (ProgressDisplay display = new ProgressDisplay("test", 1, 1, 0, true, new PrintWriter(text))) {
            ProgressDisplay.Run run = display.run("r");
            run.listener().epochDone(epoch(1, true), 1);
            run.finished();
        }
        assertEquals("", text.toString());
    }
}
