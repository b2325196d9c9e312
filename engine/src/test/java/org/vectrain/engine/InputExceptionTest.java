package org.vectrain.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.vectrain.engine.train.TrainConfig;

/** A refused parameter keeps its name apart from the problem, so that a caller can name it its own way. */
class InputExceptionTest {

    @Test
    void aParameterStartsTheMessageAndStaysApart() {
        InputException e = new InputException("eta", "must be positive, was -1.0");
        assertEquals("eta must be positive, was -1.0", e.getMessage());
        assertEquals("eta", e.parameter());
        assertEquals("must be positive, was -1.0", e.problem());
    }

    @Test
    void aPlainMessageHasNoParameter() {
        InputException e = new InputException("data_batch_1.bin: file is empty");
        assertNull(e.parameter());
        assertEquals("data_batch_1.bin: file is empty", e.problem());
    }

    @Test
    void aRefusedSettingNamesTheParameterItsBoundsAndTheValue() {
        InputException eta = assertThrows(InputException.class,
                () -> new TrainConfig(0, Double.NaN, 100, 40, 42, false, false));
        assertEquals("eta must be a finite number in (0, " + TrainConfig.MAX_ETA + "], was NaN", eta.getMessage());
        InputException epochs = assertThrows(InputException.class,
                () -> new TrainConfig(0, 0.01, 100, 0, 42, false, false));
        assertEquals("epochs", epochs.parameter());
        assertEquals("must be in 1.." + TrainConfig.MAX_EPOCHS + ", was 0", epochs.problem());
    }
}
