package org.vectrain.engine.train;

import org.vectrain.engine.eval.Evaluation;

/**
 * What one epoch measured.
 *
 * @param epoch 1-based epoch number
 * @param eta learning rate used during the epoch
 * @param train figures on the training set after the epoch
 * @param validation figures on the validation set after the epoch
 * @param trainMillis wall time of the epoch's training pass
 * @param evalMillis wall time of its evaluation passes
 */
public record EpochRecord(int epoch, double eta, Evaluation train, Evaluation validation, double trainMillis,
        double evalMillis) {
}
