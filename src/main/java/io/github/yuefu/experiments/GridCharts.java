package io.github.yuefu.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yuefu.checkpoint.AtomicFile;
import io.github.yuefu.plot.MetricsPlot;
import io.github.yuefu.train.MetricsLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The grid's PNG charts: overlaid training and held-out curves per variant, held-out perplexity bars with error
 * bars over seeds, and for a sequence-length sweep perplexity and speed against T. Curves are drawn against
 * training tokens (steps × B × T), so runs with different T or different step counts share one axis; a variant's
 * curve is the mean over its seeds at each logged step.
 */
public final class GridCharts {
    /** Distinguishable colours (Tableau 10), one per variant, shared by its training and held-out curves. */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
            new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
            new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};
    private static final int MAX_POINTS = 400;
    private static final int SMOOTHING = 50;

    private GridCharts() {}

    /**
     * curves.png: left, training loss (moving average, solid) overlaid with held-out loss (dashed, dots) in one
     * colour per variant, so the gap between them shows; right, held-out perplexity.
     */
    public static Path curves(Path out, GridSpec spec, List<VariantSummary> rows) throws IOException {
        XYChart loss = MetricsPlot.chart("Training (solid) and held-out (dashed) loss", "training tokens",
                "NLL (nats/token)", null);
        XYChart ppl = MetricsPlot.chart("Held-out perplexity (whole validation split)", "training tokens",
                "perplexity", null);
        for (int i = 0; i < rows.size(); i++) {
            VariantSummary s = rows.get(i);
            Color color = PALETTE[i % PALETTE.length];
            long tokensPerStep = (long) spec.base().batch() * s.variant().seq();
            Curves c = meanCurves(out, s);
            if (c.trainSteps.isEmpty()) continue;
            // Up to 50 steps, and no more than a twentieth of the run: a short run's curve must not lag behind itself.
            int window = Math.max(1, Math.min(SMOOTHING, c.trainLoss.size() / 20));
            List<Double> smooth = MetricsPlot.movingAverage(c.trainLoss, window);
            style(loss.addSeries(s.label(), thin(scale(c.trainSteps, tokensPerStep)), thin(smooth)), color, false);
            if (c.evalSteps.isEmpty()) continue;
            List<Double> x = scale(c.evalSteps, tokensPerStep);
            XYSeries held = loss.addSeries(s.label() + " (held-out)", x, c.valLoss);
            style(held, color, true);
            held.setLineStyle(SeriesLines.DASH_DASH);
            held.setShowInLegend(false);
            style(ppl.addSeries(s.label(), x, c.valLoss.stream().map(Math::exp).toList()), color, true);
        }
        // From 0: XChart otherwise starts its ticks at the first point (e.g. 512), giving unreadable tick labels.
        for (XYChart c : List.of(loss, ppl)) c.getStyler().setXAxisMin(0.0);
        return save(out.resolve("curves.png"), List.of(loss, ppl), 1, 2);
    }

    /** perplexity.png: held-out perplexity per variant, mean over seeds with ± one standard deviation. */
    public static Path perplexityBars(Path out, String title, List<VariantSummary> rows) throws IOException {
        CategoryChart c = new CategoryChartBuilder().width(Math.max(720, 120 * rows.size())).height(520).title(title)
                .xAxisTitle("variant").yAxisTitle("held-out perplexity").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(false);
        c.getStyler().setLabelsVisible(true);
        c.getStyler().setLabelsPosition(0.5);
        c.getStyler().setDecimalPattern("#0.00");
        c.getStyler().setErrorBarsColor(Color.BLACK);
        c.getStyler().setXAxisLabelRotation(rows.size() > 6 ? 30 : 0);
        List<String> names = new ArrayList<>();
        List<Double> means = new ArrayList<>(), errs = new ArrayList<>();
        for (VariantSummary s : rows) {
            names.add(s.label());
            means.add(s.valPpl().mean());
            errs.add(Double.isNaN(s.valPpl().std()) ? 0.0 : s.valPpl().std());
        }
        CategorySeries series = c.addSeries("held-out perplexity", names, means, errs);
        series.setFillColor(PALETTE[0]);
        return save(out.resolve("perplexity.png"), List.of(c), 1, 1);
    }

    /** sweep.png: held-out perplexity (± std over seeds) and training tokens/s against the BPTT window T. */
    public static Path sweep(Path out, List<VariantSummary> rows) throws IOException {
        XYChart ppl = MetricsPlot.chart("Held-out perplexity vs truncated-BPTT window", "T (steps per window)",
                "held-out perplexity", null);
        XYChart speed = MetricsPlot.chart("Training speed vs window", "T (steps per window)", "tokens / s", null);
        List<Double> t = new ArrayList<>(), p = new ArrayList<>(), e = new ArrayList<>(), s = new ArrayList<>();
        for (VariantSummary r : rows) {
            t.add((double) r.variant().seq());
            p.add(r.valPpl().mean());
            e.add(Double.isNaN(r.valPpl().std()) ? 0.0 : r.valPpl().std());
            s.add(r.tokensPerSec().mean());
        }
        style(ppl.addSeries("perplexity", t, p, e), PALETTE[3], true);
        style(speed.addSeries("tokens/s", t, s), PALETTE[0], true);
        for (XYChart c : List.of(ppl, speed)) c.getStyler().setLegendVisible(false);
        return save(out.resolve("sweep.png"), List.of(ppl, speed), 1, 2);
    }

    private record Curves(List<Double> trainSteps, List<Double> trainLoss, List<Double> evalSteps, List<Double> valLoss) {}

    /** The variant's training loss and held-out loss at each logged step, averaged over its seeds. */
    private static Curves meanCurves(Path out, VariantSummary s) throws IOException {
        Map<Long, double[]> train = new TreeMap<>(), held = new TreeMap<>(); // step → {sum, count}
        for (RunResult r : s.runs()) {
            for (JsonNode n : MetricsLog.read(out.resolve("runs").resolve(r.run()))) {
                long step = n.path("step").asLong();
                if (n.has("loss")) add(train, step, n.path("loss").asDouble());
                if (n.has("val_loss")) add(held, step, n.path("val_loss").asDouble());
            }
        }
        Curves c = new Curves(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        train.forEach((k, v) -> { c.trainSteps.add((double) k); c.trainLoss.add(v[0] / v[1]); });
        held.forEach((k, v) -> { c.evalSteps.add((double) k); c.valLoss.add(v[0] / v[1]); });
        return c;
    }

    private static void add(Map<Long, double[]> m, long step, double x) {
        double[] a = m.computeIfAbsent(step, k -> new double[2]);
        a[0] += x;
        a[1]++;
    }

    private static List<Double> scale(List<Double> steps, long tokensPerStep) {
        return steps.stream().map(x -> x * tokensPerStep).toList();
    }

    /** Every k-th point, so a long run does not draw thousands of segments (the curve is already smoothed). */
    private static List<Double> thin(List<Double> xs) {
        int k = Math.max(1, (xs.size() + MAX_POINTS - 1) / MAX_POINTS);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < xs.size(); i += k) out.add(xs.get(i));
        if ((xs.size() - 1) % k != 0) out.add(xs.getLast());
        return out;
    }

    private static void style(XYSeries s, Color color, boolean markers) {
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setLineStyle(new BasicStroke(markers ? 1.5f : 2f));
    }

    private static Path save(Path png, List<? extends Chart<?, ?>> charts, int rows, int cols) throws IOException {
        for (Chart<?, ?> c : charts) c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(charts, rows, cols, bytes, BitmapEncoder.BitmapFormat.PNG);
        AtomicFile.write(png, ByteBuffer.wrap(bytes.toByteArray()));
        return png;
    }
}
