package io.github.yuefu.experiments;

import io.github.yuefu.checkpoint.AtomicFile;
import io.github.yuefu.plot.MetricsPlot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/** Markdown tables for the learn-to-carry runs: one comparison row per cell, then each cell's per-place detail. */
public final class AddReport {
    private AddReport() {}

    public static String markdown(List<AddExperiment.Result> results) {
        if (results.isEmpty()) return "";
        AddConfig c0 = results.getFirst().config();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "### Learning to add: operands of 1–%d digits, %s first, embed %d, hidden %d, "
                        + "batch %d, seed %d; %,d held-out pairs per figure%n%n",
                c0.digits(), c0.order().id().toUpperCase(Locale.ROOT), c0.embed(), c0.hidden(), c0.batch(), c0.seed(),
                c0.testPairs()));
        sb.append("| cell | parameters | steps | train time | final train loss | held-out exact match (1–")
                .append(c0.digits()).append(" digits) |");
        for (AddExperiment.LengthPoint p : results.getFirst().curve()) sb.append(" exact, ").append(p.digits()).append(" digits |");
        sb.append('\n').append("|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < results.getFirst().curve().size(); i++) sb.append("---:|");
        sb.append('\n');
        for (AddExperiment.Result r : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %.1f s | %.4f | %s |", r.config().cell().id(),
                    r.parameters(), r.steps(), r.seconds(), r.finalLoss(), pct(r.exactMatch())));
            for (AddExperiment.LengthPoint p : r.curve()) sb.append(' ').append(pct(p.exactMatch())).append(" |");
            sb.append('\n');
        }
        sb.append("\nColumns after the held-out one: the length-generalisation curve, both operands of exactly that many "
                + "digits (the first is the longest trained length).\n");
        for (AddExperiment.Result r : results) sb.append('\n').append(places(r));
        return sb.toString();
    }

    /** Per digit place: accuracy overall, how often a carry comes in, and accuracy with and without one. */
    static String places(AddExperiment.Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append("#### ").append(r.config().cell().id()).append(": accuracy per digit place of the sum (held out)\n\n");
        sb.append("| place | digit accuracy | carry comes in | accuracy with carry-in | accuracy without |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        int last = r.positions().size() - 1;
        for (AddExperiment.PositionStats p : r.positions()) {
            String name = p.place() == last ? "final carry" : "10^" + p.place();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, pct(p.digitAccuracy()),
                    pct(p.carryShare()), pct(p.accuracyWithCarry()), pct(p.accuracyWithoutCarry())));
        }
        return sb.toString();
    }

    /** The length-generalisation curves as a PNG: held-out exact match against operand length, one line per cell. */
    public static Path curvePng(List<AddExperiment.Result> results, Path png) throws IOException {
        AddConfig c0 = results.getFirst().config();
        XYChart c = MetricsPlot.chart(String.format(Locale.ROOT, "Length generalisation (trained on 1-%d digits, %s first)",
                c0.digits(), c0.order().id().toUpperCase(Locale.ROOT)), "digits per operand", "held-out exact match (%)", null);
        for (AddExperiment.Result r : results) {
            List<Double> x = new ArrayList<>(), y = new ArrayList<>();
            for (AddExperiment.LengthPoint p : r.curve()) {
                x.add((double) p.digits());
                y.add(100 * p.exactMatch());
            }
            c.addSeries(r.config().cell().id(), x, y);
        }
        c.getStyler().setYAxisMax(100.0);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSW);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(c, bytes, BitmapEncoder.BitmapFormat.PNG);
        AtomicFile.write(png, ByteBuffer.wrap(bytes.toByteArray()));
        return png;
    }

    static String pct(double x) {
        return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.2f%%", 100 * x);
    }
}
