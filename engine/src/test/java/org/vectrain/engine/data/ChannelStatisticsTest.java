package org.vectrain.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Per-channel statistics against a double reference, and the published figures on the real data. */
class ChannelStatisticsTest {

    @Test
    void matchesADirectComputation() {
        LabeledImages a = CifarFixtures.images(3, 0);
        LabeledImages b = CifarFixtures.images(2, 4);
        ChannelStatistics statistics = ChannelStatistics.of(a, b);
        assertEquals(5, statistics.images());
        int plane = LabeledImages.SIDE * LabeledImages.SIDE;
        for (int c = 0; c < LabeledImages.CHANNELS; c++) {
            double sum = 0;
            double count = 0;
            for (LabeledImages set : new LabeledImages[] {a, b}) {
                for (int i = 0; i < set.count(); i++) {
                    for (int j = 0; j < plane; j++) {
                        sum += set.pixels()[i * LabeledImages.PIXELS + c * plane + j] & 0xFF;
                        count++;
                    }
                }
            }
            double mean = sum / count;
            double squares = 0;
            for (LabeledImages set : new LabeledImages[] {a, b}) {
                for (int i = 0; i < set.count(); i++) {
                    for (int j = 0; j < plane; j++) {
                        double d = (set.pixels()[i * LabeledImages.PIXELS + c * plane + j] & 0xFF) - mean;
                        squares += d * d;
                    }
                }
            }
            assertEquals(mean, statistics.mean()[c], 1e-9, "mean of channel " + c);
            assertEquals(Math.sqrt(squares / count), statistics.std()[c], 1e-9, "std of channel " + c);
        }
    }

    @Test
    void aConstantImageHasZeroSpread() {
        LabeledImages grey = new LabeledImages(new byte[LabeledImages.PIXELS], new byte[1], "grey");
        Arrays.fill(grey.pixels(), (byte) 200);
        ChannelStatistics statistics = ChannelStatistics.of(grey);
        assertArrayEquals(new double[] {200, 200, 200}, statistics.mean());
        assertArrayEquals(new double[] {0, 0, 0}, statistics.std());
    }

    @Test
    void realTrainingBatchHasThePublishedCountsAndMeans() {
        CifarSource source = CifarSources.open(CifarFixtures.realData());
        LabeledImages batch1 = source.read("data_batch_1");
        assertArrayEquals(new int[] {1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981}, batch1.labelCounts());

        // The standard split trains on data_batch_1 alone.
        ChannelStatistics standard = ChannelStatistics.of(batch1);
        assertArrayEquals(new double[] {125.83, 123.26, 114.03}, round2(standard.mean()));
        assertArrayEquals(new double[] {63.14, 62.37, 66.97}, round2(standard.std()));

        // The widely quoted CIFAR-10 means (125.31, 122.95, 113.87) are those of all 50,000 training images.
        ChannelStatistics.Accumulator all = new ChannelStatistics.Accumulator();
        for (int b = 1; b <= 5; b++) {
            all.add(b == 1 ? batch1 : source.read("data_batch_" + b));
        }
        ChannelStatistics allTrain = all.result();
        assertEquals(50_000, allTrain.images());
        assertArrayEquals(new double[] {125.31, 122.95, 113.87}, round2(allTrain.mean()));
        assertArrayEquals(new double[] {62.99, 62.09, 66.70}, round2(allTrain.std()));
    }

    private static double[] round2(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.round(values[i] * 100) / 100.0;
        }
        return out;
    }
}
