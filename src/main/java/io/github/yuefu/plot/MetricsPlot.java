package io.github.yuefu.plot;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yuefu.checkpoint.AtomicFile;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.train.MetricsLog;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code curves.png} from a run's metrics.jsonl: left, training loss (raw and a moving average) with validation
 * loss; right, validation perplexity. Titles in Chinese and English when a CJK font is installed, English only
 * otherwise.
 */
public final class MetricsPlot {
    public static final String FILE = "curves.png";

    private MetricsPlot() {}

    /** Draws RUN/curves.png and returns its path. */
    public static Path render(Path runDir) throws IOException {
        return render(runDir, runDir.resolve(FILE));
    }

    public static Path render(Path runDir, Path png) throws IOException {
        if (!Files.isRegularFile(runDir.resolve(MetricsLog.FILE))) {
            throw new ConfigException(runDir + ": no " + MetricsLog.FILE + " here; pass the --out directory of a yuefu train run");
        }
        List<Double> steps = new ArrayList<>(), loss = new ArrayList<>();
        List<Double> evalSteps = new ArrayList<>(), valLoss = new ArrayList<>(), valPpl = new ArrayList<>();
        for (JsonNode n : MetricsLog.read(runDir)) {
            if (n.has("loss") && Double.isFinite(n.path("loss").asDouble(Double.NaN))) {
                steps.add(n.path("step").asDouble());
                loss.add(n.path("loss").asDouble());
            }
            if (n.has("val_ppl")) {
                evalSteps.add(n.path("step").asDouble());
                valLoss.add(n.path("val_loss").asDouble());
                valPpl.add(n.path("val_ppl").asDouble());
            }
        }
        if (steps.isEmpty()) throw new ConfigException(runDir.resolve(MetricsLog.FILE) + ": no training steps logged yet");
        Font cjk = ChartFonts.cjk(14);
        String run = runDir.toAbsolutePath().getFileName().toString();
        XYChart lossChart = chart(cjk == null ? "Loss (" + run + ")" : "损失 Loss (" + run + ")", "step", "NLL (nats)", cjk);
        XYSeries raw = lossChart.addSeries(cjk == null ? "train" : "训练 train", steps, loss);
        raw.setMarker(SeriesMarkers.NONE);
        raw.setLineColor(new Color(160, 190, 230));
        XYSeries avg = lossChart.addSeries(cjk == null ? "train (moving avg)" : "训练 平均 train avg", steps, movingAverage(loss, Math.max(5, loss.size() / 40)));
        avg.setMarker(SeriesMarkers.NONE);
        avg.setLineColor(new Color(30, 90, 180));
        if (!evalSteps.isEmpty()) {
            XYSeries v = lossChart.addSeries(cjk == null ? "validation" : "验证 validation", evalSteps, valLoss);
            v.setLineColor(new Color(200, 60, 40));
            v.setMarkerColor(new Color(200, 60, 40));
        }
        XYChart pplChart = chart(cjk == null ? "Validation perplexity" : "验证困惑度 Validation perplexity", "step", "perplexity", cjk);
        if (!evalSteps.isEmpty()) {
            XYSeries p = pplChart.addSeries(cjk == null ? "val ppl" : "困惑度 ppl", evalSteps, valPpl);
            p.setLineColor(new Color(200, 60, 40));
            p.setMarkerColor(new Color(200, 60, 40));
        } else {
            pplChart.addSeries("(no evaluation yet)", new double[] {0}, new double[] {0});
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(List.of(lossChart, pplChart), 1, 2, bytes, BitmapEncoder.BitmapFormat.PNG);
        AtomicFile.write(png, ByteBuffer.wrap(bytes.toByteArray()));
        return png;
    }

    public static XYChart chart(String title, String x, String y, Font cjk) {
        XYChart c = new XYChartBuilder().width(720).height(480).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        c.getStyler().setXAxisDecimalPattern("#,###");
        c.getStyler().setXAxisMaxLabelCount(10);
        if (cjk != null) {
            c.getStyler().setChartTitleFont(cjk.deriveFont(Font.BOLD, 16f));
            c.getStyler().setLegendFont(cjk.deriveFont(13f));
            c.getStyler().setAxisTitleFont(cjk.deriveFont(13f));
            c.getStyler().setAxisTickLabelsFont(cjk.deriveFont(11f));
        }
        return c;
    }

    /** Trailing moving average over up to {@code w} points (smooths the noisy per-step loss). */
    public static List<Double> movingAverage(List<Double> xs, int w) {
        List<Double> out = new ArrayList<>(xs.size());
        double sum = 0;
        for (int i = 0; i < xs.size(); i++) {
            sum += xs.get(i);
            if (i >= w) sum -= xs.get(i - w);
            out.add(sum / Math.min(i + 1, w));
        }
        return out;
    }
}
