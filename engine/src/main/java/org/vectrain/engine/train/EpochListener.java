package org.vectrain.engine.train;

/** Told after every epoch; progress bars and log lines hang off this. */
@FunctionalInterface
public interface EpochListener {
    EpochListener NONE = (record, total) -> { };

    void epochDone(EpochRecord record, int totalEpochs);
}
