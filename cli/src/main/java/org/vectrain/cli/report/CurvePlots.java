package org.vectrain.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.vectrain.engine.io.AtomicFiles;

/**
 * Per-epoch training curves as PNG files, drawn with XChart off-screen and written atomically.
 *
 * <ul>
 *   <li>{@link #writeAccuracy}: accuracy, training against validation;
 *   <li>{@link #writeLossAndCost}: two panels sharing the epoch axis, loss above and cost below,
 *       each training against validation (cost is loss plus the L2 penalty, so the panels differ by λ);
 *   <li>{@link #writeOverlay}: any curves on one axis, for comparing runs.
 * </ul>
 *
 * <p>Non-finite values (a diverged run) cannot be placed on an axis; they are dropped and the legend
 * entry says how many, e.g. {@code validation (3 non-finite points dropped)}. A curve with no finite
 * value at all is named in the title instead, and an empty history gives an empty, titled plot.
 * Training is drawn as a solid blue line, validation as a dashed orange one, so the two remain
 * distinguishable in greyscale.
 */
public final class CurvePlots {
    static {
        Awt.headless();
    }

    /** One panel; 800 x 450 stays legible when a report shows it at its natural size. */
    static final int WIDTH = 800;
    static final int HEIGHT = 450;
    /** Up to this many points per curve are marked with dots; beyond that they clutter the line. */
    private static final int MAX_MARKED_POINTS = 40;
    /** At most this many labelled epochs on the x axis, so that three-digit labels never touch. */
    static final int MAX_X_LABELS = 10;
    private static final Color TRAINING = new Color(0x1f77b4);
    private static final Color VALIDATION = new Color(0xff7f0e);
    /** Distinct colours for overlays (the Tableau 10 palette, first eight). */
    private static final Color[] PALETTE = {
        TRAINING, VALIDATION, new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    };
    private static final Color GRID = new Color(0xdddddd);

    private CurvePlots() {
    }

    /** The setting as plot titles show it: {@code λ=0.1, n_batch=100, η=0.001, 40 epochs}. */
    public static String setting(double lambda, int batchSize, double eta, int epochs) {
        return "λ=" + plain(lambda) + ", n_batch=" + batchSize + ", η=" + plain(eta) + ", " + epochs
                + (epochs == 1 ? " epoch" : " epochs");
    }

    /**
     * Writes the accuracy plot, training against validation.
     *
     * @throws UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeAccuracy(Path png, TrainingCurves curves) {
        Objects.requireNonNull(png, "png");
        AtomicFiles.write(png, encode(List.of(accuracyChart(curves))));
    }

    /**
     * Writes loss (upper panel) and cost (lower panel), each training against validation.
     *
     * @throws UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeLossAndCost(Path png, TrainingCurves curves) {
        Objects.requireNonNull(png, "png");
        AtomicFiles.write(png, encode(List.of(lossChart(curves), costChart(curves))));
    }

    /**
     * Writes several curves on one axis, e.g. the validation accuracy of two runs.
     *
     * @param yAxisTitle what the curves measure, e.g. {@code validation accuracy}
     * @throws IllegalArgumentException if two curves have the same label
     * @throws UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeOverlay(Path png, String title, String yAxisTitle, List<Curve> curves) {
        Objects.requireNonNull(png, "png");
        AtomicFiles.write(png, encode(List.of(overlayChart(title, yAxisTitle, curves))));
    }

    static XYChart accuracyChart(TrainingCurves curves) {
        return trainingVsValidation("Accuracy", "accuracy", curves, curves.trainingAccuracy(), curves.validationAccuracy());
    }

    static XYChart lossChart(TrainingCurves curves) {
        return trainingVsValidation("Loss (cross-entropy)", "loss", curves, curves.trainingLoss(), curves.validationLoss());
    }

    static XYChart costChart(TrainingCurves curves) {
        return trainingVsValidation("Cost (loss + λ‖W‖²)", "cost", curves, curves.trainingCost(), curves.validationCost());
    }

    static XYChart overlayChart(String title, String yAxisTitle, List<Curve> curves) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(yAxisTitle, "yAxisTitle");
        Objects.requireNonNull(curves, "curves");
        Set<String> labels = new HashSet<>();
        List<Styled> styled = new ArrayList<>();
        for (Curve curve : curves) {
            if (!labels.add(curve.label())) {
                throw new IllegalArgumentException("two curves are labelled '" + curve.label() + "'");
            }
            Color colour = PALETTE[styled.size() % PALETTE.length];
            styled.add(new Styled(curve, colour, solid()));
        }
        return chart(title, yAxisTitle, styled);
    }

    private static XYChart trainingVsValidation(String what, String yAxisTitle, TrainingCurves curves,
            double[] training, double[] validation) {
        Objects.requireNonNull(curves, "curves");
        List<Styled> styled = new ArrayList<>();
        if (training != null) {
            styled.add(new Styled(new Curve("training", curves.firstEpoch(), training), TRAINING, solid()));
        }
        if (validation != null) {
            styled.add(new Styled(new Curve("validation", curves.firstEpoch(), validation), VALIDATION, dashed()));
        }
        return chart(what + " — " + curves.setting(), yAxisTitle, styled);
    }

    /** A curve with how to draw it. */
    private record Styled(Curve curve, Color colour, BasicStroke stroke) {
    }

    private static XYChart chart(String title, String yAxisTitle, List<Styled> curves) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .xAxisTitle("epoch").yAxisTitle(yAxisTitle).build();
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(GRID);
        styler.setPlotGridLinesColor(GRID);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // Below the plot, the legend can never hide a curve, whichever way the curves go.
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendLayout(LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendSeriesLineLength(36);
        styler.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        styler.setMarkerSize(5);
        styler.setAntiAlias(true);
        int firstEpoch = Integer.MAX_VALUE;
        int lastEpoch = Integer.MIN_VALUE;
        List<String> withoutData = new ArrayList<>();
        for (Styled styled : curves) {
            Curve curve = styled.curve();
            firstEpoch = Math.min(firstEpoch, curve.firstEpoch());
            lastEpoch = Math.max(lastEpoch, curve.firstEpoch() + curve.values().length - 1);
            Finite finite = Finite.of(curve);
            if (finite.x.length == 0) {
                if (curve.values().length > 0) {
                    withoutData.add(curve.label());
                }
                continue;
            }
            String label = finite.dropped == 0 ? curve.label()
                    : curve.label() + " (" + finite.dropped + " non-finite point" + (finite.dropped == 1 ? "" : "s") + " dropped)";
            XYSeries series = chart.addSeries(label, finite.x, finite.y);
            series.setLineColor(styled.colour());
            series.setLineStyle(styled.stroke());
            series.setMarkerColor(styled.colour());
            series.setMarker(finite.x.length <= MAX_MARKED_POINTS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        if (firstEpoch == Integer.MAX_VALUE) {
            firstEpoch = 1;
        }
        // One epoch, or none, would give XChart an empty range; show at least one epoch's width.
        int xMax = Math.max(lastEpoch, firstEpoch + 1);
        // The axis starts at 0 even when the first point is epoch 1: XChart places its ticks on round
        // multiples of the range from the minimum, and a range of 1..40 would put them at 12.5, 25...
        styler.setXAxisMin(0.0);
        styler.setXAxisMax((double) xMax);
        // XChart may put a tick on every epoch, and its labels then overlap on long runs; only whole
        // multiples of a round step get a label, and fractional ticks on short runs get none. The
        // blank label is a space: AWT's TextLayout refuses an empty string.
        long step = labelStep(xMax);
        styler.setxAxisTickLabelsFormattingFunction(
                x -> x == Math.rint(x) && Math.round(x) % step == 0 ? Long.toString(Math.round(x)) : " ");
        styler.setLegendVisible(!chart.getSeriesMap().isEmpty());

        StringBuilder fullTitle = new StringBuilder(title);
        if (curves.stream().allMatch(s -> s.curve().values().length == 0)) {
            fullTitle.append(" (no epochs recorded)");
        } else if (!withoutData.isEmpty()) {
            fullTitle.append(" (no finite values: ").append(String.join(", ", withoutData)).append(')');
        }
        chart.setTitle(fullTitle.toString());
        return chart;
    }

    /** The finite points of a curve, with their epochs, and how many were left out. */
    private static final class Finite {
        final double[] x;
        final double[] y;
        final int dropped;

        private Finite(double[] x, double[] y, int dropped) {
            this.x = x;
            this.y = y;
            this.dropped = dropped;
        }

        static Finite of(Curve curve) {
            double[] values = curve.values();
            int count = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    count++;
                }
            }
            double[] x = new double[count];
            double[] y = new double[count];
            int j = 0;
            for (int i = 0; i < values.length; i++) {
                if (Double.isFinite(values[i])) {
                    x[j] = curve.firstEpoch() + i;
                    y[j++] = values[i];
                }
            }
            return new Finite(x, y, values.length - count);
        }
    }

    /** The smallest of 1, 2, 5, 10, 20, 50... that labels at most {@value #MAX_X_LABELS} epochs across {@code span}. */
    static long labelStep(int span) {
        for (long power = 1; ; power *= 10) {
            for (long mantissa : new long[] {1, 2, 5}) {
                if (span / (mantissa * power) <= MAX_X_LABELS) {
                    return mantissa * power;
                }
            }
        }
    }

    /** Renders the charts stacked top to bottom into one PNG. */
    private static byte[] encode(List<XYChart> charts) {
        try {
            if (charts.size() == 1) {
                return BitmapEncoder.getBitmapBytes(charts.get(0), BitmapFormat.PNG);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapFormat.PNG);
            return out.toByteArray();
        } catch (IOException e) {
            // Encoding into memory does no I/O; a failure here is a bug in the image encoder.
            throw new IllegalStateException("PNG encoding failed", e);
        }
    }

    private static BasicStroke solid() {
        return new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static BasicStroke dashed() {
        return new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 4f}, 0f);
    }

    /** A hyper-parameter as written by hand: {@code 0.1}, {@code 0}, {@code 0.0001}, never {@code 1.0E-4}. */
    private static String plain(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
