package org.vectrain.cli.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 *   <li>{@link #writeOverlay}: any curves on one axis, for comparing runs; beyond
 *       {@value #MAX_COLOURED} curves the first {@value #HIGHLIGHTED} are drawn in colour and the rest in
 *       grey under one legend entry, so that the legend fits and no two coloured curves share a colour;
 *   <li>{@link #writeSmallMultiples}: one accuracy panel per run, side by side on shared axes.
 * </ul>
 *
 * <p>Every panel's title is drawn above the chart, in as many lines as it needs to fit the image's width,
 * and every axis has a title. Legends sit below the plot, one row when the entries fit in it and one entry
 * per line otherwise (the image grows to hold them).
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
    /** Overlays of up to this many curves draw every one in its own colour. */
    static final int MAX_COLOURED = 8;
    /** Overlays of more curves draw this many (the first ones given) in colour, the others in grey. */
    static final int HIGHLIGHTED = 5;
    private static final Color OTHERS = new Color(0xbbbbbb);
    static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Free pixels at either end of a title line. */
    static final int TITLE_MARGIN = 12;
    /** Height of one legend entry when the entries are stacked. */
    private static final int LEGEND_LINE = 19;
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
        Png.write(png, render(List.of(accuracyChart(curves)), 1, WIDTH));
    }

    /**
     * Writes loss (upper panel) and cost (lower panel), each training against validation.
     *
     * @throws UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeLossAndCost(Path png, TrainingCurves curves) {
        Objects.requireNonNull(png, "png");
        Png.write(png, render(List.of(lossChart(curves), costChart(curves)), 1, WIDTH));
    }

    /**
     * Writes several curves on one axis, e.g. the validation accuracy of two runs. With more than
     * {@value #MAX_COLOURED} curves, the first {@value #HIGHLIGHTED} are in colour and named in the
     * legend, the others grey under one entry: give them best first.
     *
     * @param yAxisTitle what the curves measure, e.g. {@code validation accuracy}
     * @throws IllegalArgumentException if two curves have the same label
     * @throws UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeOverlay(Path png, String title, String yAxisTitle, List<Curve> curves) {
        Objects.requireNonNull(png, "png");
        Png.write(png, render(List.of(overlayChart(title, yAxisTitle, curves)), 1, WIDTH));
    }

    /**
     * The look every chart here shares: white, light grid, the title drawn above the chart by {@link #render}
     * (wrapped to fit, where XChart would centre one long line and cut it at both edges), the legend below the plot
     * (where it can never hide a curve), tick labels to four decimals at most (XChart would print a tick at a data
     * value in full).
     */
    private static XYStyler plainStyle(XYChart chart) {
        XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(GRID);
        styler.setPlotGridLinesColor(GRID);
        styler.setChartTitleVisible(false);
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(LEGEND_FONT);
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setYAxisDecimalPattern("#,##0.####");
        styler.setAntiAlias(true);
        return styler;
    }

    /**
     * Writes one point per run of a search: {@code y[i]} against {@code x[i]}, the x axis logarithmic (a
     * regularisation strength), the points of {@code highlight} (may be empty) in a second colour and named.
     *
     * @throws IllegalArgumentException if x and y differ in length or an x is not positive
     * @throws UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeSearch(Path png, String title, String xAxisTitle, String yAxisTitle, double[] x,
            double[] y, String highlightLabel, boolean[] highlight) {
        Objects.requireNonNull(png, "png");
        if (x.length != y.length || highlight.length != x.length) {
            throw new IllegalArgumentException(x.length + " x values, " + y.length + " y values");
        }
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xAxisTitle)
                .yAxisTitle(yAxisTitle).build();
        XYStyler styler = plainStyle(chart);
        styler.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        styler.setMarkerSize(9);
        styler.setXAxisLogarithmic(true);
        List<Double> otherX = new ArrayList<>();
        List<Double> otherY = new ArrayList<>();
        List<Double> markedX = new ArrayList<>();
        List<Double> markedY = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (!(x[i] > 0)) {
                throw new IllegalArgumentException("x[" + i + "] = " + x[i] + " on a logarithmic axis");
            }
            if (!Double.isFinite(y[i])) {
                continue;
            }
            (highlight[i] ? markedX : otherX).add(x[i]);
            (highlight[i] ? markedY : otherY).add(y[i]);
        }
        if (!otherX.isEmpty()) {
            XYSeries runs = chart.addSeries("runs", otherX, otherY);
            runs.setMarker(SeriesMarkers.CIRCLE);
            runs.setMarkerColor(PALETTE[0]);
        }
        if (!markedX.isEmpty()) {
            XYSeries marked = chart.addSeries(highlightLabel, markedX, markedY);
            marked.setMarker(SeriesMarkers.DIAMOND);
            marked.setMarkerColor(PALETTE[1]);
        }
        Png.write(png, render(List.of(chart), 1, WIDTH));
    }

    /**
     * Writes one accuracy panel per run (training against validation), {@code columns} to a row, all on
     * the same axes so that the runs compare at a glance.
     *
     * @throws IllegalArgumentException if there are no runs or {@code columns} is not positive
     * @throws UncheckedIOException if the file cannot be written (see {@link AtomicFiles})
     */
    public static void writeSmallMultiples(Path png, List<TrainingCurves> runs, int columns) {
        Objects.requireNonNull(png, "png");
        Png.write(png, render(smallMultiples(runs, columns), columns, SMALL_WIDTH * Math.min(columns, runs.size())));
    }

    /** Width of one small-multiples panel. */
    static final int SMALL_WIDTH = 560;
    /** Height of one small-multiples panel. */
    static final int SMALL_HEIGHT = 360;

    static List<XYChart> smallMultiples(List<TrainingCurves> runs, int columns) {
        if (runs.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("small multiples need at least one run and one column");
        }
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (TrainingCurves run : runs) {
            for (double[] series : new double[][] {run.trainingAccuracy(), run.validationAccuracy()}) {
                for (double v : series == null ? new double[0] : series) {
                    if (Double.isFinite(v)) {
                        low = Math.min(low, v);
                        high = Math.max(high, v);
                    }
                }
            }
        }
        List<XYChart> charts = new ArrayList<>();
        for (TrainingCurves run : runs) {
            XYChart chart = trainingVsValidation("Accuracy", "accuracy", run, run.trainingAccuracy(),
                    run.validationAccuracy(), SMALL_WIDTH, SMALL_HEIGHT);
            chart.setTitle(run.setting());
            if (low <= high) {
                // Shared axes: round the common range out to whole steps of 0.05.
                chart.getStyler().setYAxisMin(Math.floor(low / 0.05) * 0.05);
                chart.getStyler().setYAxisMax(Math.max(Math.ceil(high / 0.05) * 0.05, Math.floor(low / 0.05) * 0.05
                        + 0.05));
            }
            charts.add(chart);
        }
        int lastEpoch = 1;
        for (XYChart chart : charts) {
            lastEpoch = Math.max(lastEpoch, (int) Math.round(chart.getStyler().getXAxisMax()));
        }
        for (XYChart chart : charts) {
            chart.getStyler().setXAxisMax((double) lastEpoch);
        }
        return charts;
    }

    static XYChart accuracyChart(TrainingCurves curves) {
        return trainingVsValidation("Accuracy", "accuracy", curves, curves.trainingAccuracy(), curves.validationAccuracy(),
                WIDTH, HEIGHT);
    }

    static XYChart lossChart(TrainingCurves curves) {
        return trainingVsValidation("Loss (cross-entropy)", "loss", curves, curves.trainingLoss(), curves.validationLoss(),
                WIDTH, HEIGHT);
    }

    /** The cost of either model: λ‖W‖² for the one-layer model, λ(‖W1‖² + ‖W2‖²) for the two-layer network. */
    static XYChart costChart(TrainingCurves curves) {
        return trainingVsValidation("Cost (loss + λ × squared weights)", "cost", curves, curves.trainingCost(),
                curves.validationCost(), WIDTH, HEIGHT);
    }

    static XYChart overlayChart(String title, String yAxisTitle, List<Curve> curves) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(yAxisTitle, "yAxisTitle");
        Objects.requireNonNull(curves, "curves");
        Set<String> labels = new HashSet<>();
        List<Styled> styled = new ArrayList<>();
        boolean greyRest = curves.size() > MAX_COLOURED;
        int others = curves.size() - HIGHLIGHTED;
        for (Curve curve : curves) {
            if (!labels.add(curve.label())) {
                throw new IllegalArgumentException("two curves are labelled '" + curve.label() + "'");
            }
            int i = styled.size();
            if (greyRest && i >= HIGHLIGHTED) {
                // One legend entry stands for every grey curve: the first carries it, the rest are unnamed.
                String entry = i == HIGHLIGHTED ? "the other " + others + " (grey)" : null;
                styled.add(new Styled(curve, OTHERS, thin(), entry));
            } else {
                styled.add(new Styled(curve, PALETTE[i], solid(), curve.label()));
            }
        }
        String fullTitle = greyRest ? title + " (the best " + HIGHLIGHTED + " in colour)" : title;
        XYChart chart = chart(fullTitle, yAxisTitle, reversed(styled), WIDTH, HEIGHT);
        return chart;
    }

    /** The grey curves first, so that the coloured ones are drawn over them; the legend keeps the given order. */
    private static List<Styled> reversed(List<Styled> styled) {
        List<Styled> grey = styled.stream().filter(s -> s.colour() == OTHERS).toList();
        List<Styled> coloured = styled.stream().filter(s -> s.colour() != OTHERS).toList();
        List<Styled> order = new ArrayList<>(coloured);
        order.addAll(grey);
        return order;
    }

    private static XYChart trainingVsValidation(String what, String yAxisTitle, TrainingCurves curves,
            double[] training, double[] validation, int width, int height) {
        Objects.requireNonNull(curves, "curves");
        List<Styled> styled = new ArrayList<>();
        if (training != null) {
            styled.add(new Styled(new Curve("training", curves.firstEpoch(), training), TRAINING, solid(), "training"));
        }
        if (validation != null) {
            styled.add(new Styled(new Curve("validation", curves.firstEpoch(), validation), VALIDATION, dashed(),
                    "validation"));
        }
        return chart(what + " — " + curves.setting(), yAxisTitle, styled, width, height);
    }

    /**
     * A curve with how to draw it.
     *
     * @param legend its legend entry, or null for a curve the legend does not name
     */
    private record Styled(Curve curve, Color colour, BasicStroke stroke, String legend) {
    }

    private static XYChart chart(String title, String yAxisTitle, List<Styled> curves, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .xAxisTitle("epoch").yAxisTitle(yAxisTitle).build();
        XYStyler styler = plainStyle(chart);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(TITLE_FONT);
        styler.setLegendSeriesLineLength(36);
        styler.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        styler.setMarkerSize(5);
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
            String name = styled.legend() == null ? curve.label() : styled.legend();
            String label = finite.dropped == 0 ? name
                    : name + " (" + finite.dropped + " non-finite point" + (finite.dropped == 1 ? "" : "s") + " dropped)";
            XYSeries series = chart.addSeries(label, finite.x, finite.y);
            series.setShowInLegend(styled.legend() != null);
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
        styler.setLegendLayout(legendFitsInOneRow(chart, width) ? LegendLayout.Horizontal : LegendLayout.Vertical);

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

    /** Whether the legend entries of {@code chart} fit side by side in one row of {@code width} pixels. */
    private static boolean legendFitsInOneRow(XYChart chart, int width) {
        FontMetrics fm = metrics(LEGEND_FONT);
        int total = 0;
        for (XYSeries series : chart.getSeriesMap().values()) {
            if (series.isShowInLegend()) {
                // the sample line, the gaps around it and the text
                total += 36 + 30 + fm.stringWidth(series.getName());
            }
        }
        return total <= width - 40;
    }

    /** Legend entries shown by {@code chart}. */
    static int legendEntries(XYChart chart) {
        return (int) chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).count();
    }

    /**
     * Draws the charts into one image, {@code columns} to a row, each under its own title wrapped to the
     * panel's width. A panel is as high as its chart was built when the title takes one line, plus a line for
     * every further title line and for every stacked legend entry beyond the first.
     */
    static BufferedImage render(List<XYChart> charts, int columns, int width) {
        int panelWidth = width / Math.min(columns, charts.size());
        FontMetrics fm = metrics(TITLE_FONT);
        int rows = (charts.size() + columns - 1) / columns;
        int[] rowHeights = new int[rows];
        List<List<String>> titles = new ArrayList<>();
        int[] chartHeights = new int[charts.size()];
        for (int i = 0; i < charts.size(); i++) {
            XYChart chart = charts.get(i);
            List<String> lines = titleLines(chart.getTitle(), fm, panelWidth - 2 * TITLE_MARGIN);
            titles.add(lines);
            // A chart's nominal height includes a one-line title; more title lines and stacked legend entries
            // make the panel taller.
            chartHeights[i] = chart.getHeight() - titleBand(List.of(""), fm)
                    + (chart.getStyler().getLegendLayout() == LegendLayout.Vertical
                            ? LEGEND_LINE * Math.max(0, legendEntries(chart) - 1) : 0);
            rowHeights[i / columns] = Math.max(rowHeights[i / columns], titleBand(lines, fm) + chartHeights[i]);
        }
        int height = 0;
        for (int h : rowHeights) {
            height += h;
        }
        BufferedImage image = new BufferedImage(panelWidth * Math.min(columns, charts.size()), height,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            int top = 0;
            for (int i = 0; i < charts.size(); i++) {
                int column = i % columns;
                if (i > 0 && column == 0) {
                    top += rowHeights[i / columns - 1];
                }
                int left = column * panelWidth;
                List<String> lines = titles.get(i);
                Graphics2D text = (Graphics2D) g.create();
                text.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                text.setColor(Color.BLACK);
                text.setFont(TITLE_FONT);
                int y = top + TITLE_TOP + fm.getAscent();
                for (String line : lines) {
                    text.drawString(line, left + (panelWidth - fm.stringWidth(line)) / 2, y);
                    y += fm.getHeight();
                }
                text.dispose();
                Graphics2D panel = (Graphics2D) g.create();
                int band = titleBand(lines, fm);
                panel.translate(left, top + band);
                panel.clipRect(0, 0, panelWidth, rowHeights[i / columns] - band);
                charts.get(i).paint(panel, panelWidth, chartHeights[i]);
                panel.dispose();
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Space above a title's first line. */
    private static final int TITLE_TOP = 8;

    /** Height of the band a title of these lines takes above its chart. */
    private static int titleBand(List<String> lines, FontMetrics fm) {
        return TITLE_TOP + lines.size() * fm.getHeight() + 2;
    }

    /**
     * {@code title} broken at spaces into lines of at most {@code width} pixels in {@code fm}'s font; a
     * single word wider than that is broken where it must.
     */
    static List<String> titleLines(String title, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : title.strip().split(" +")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (fm.stringWidth(candidate) <= width) {
                line.setLength(0);
                line.append(candidate);
                continue;
            }
            if (line.length() > 0) {
                lines.add(line.toString());
                line.setLength(0);
            }
            String rest = word;
            while (fm.stringWidth(rest) > width) {
                int cut = rest.length() - 1;
                while (cut > 1 && fm.stringWidth(rest.substring(0, cut)) > width) {
                    cut--;
                }
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** The metrics of {@code font} as the plots draw it. */
    static FontMetrics metrics(Font font) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    private static BasicStroke solid() {
        return new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static BasicStroke thin() {
        return new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
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
