package io.github.yuefu.experiments;

import io.github.yuefu.checkpoint.AtomicFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything a finished (or partly finished) grid writes beside its runs: results.md, results.csv, samples.md,
 * curves.png, perplexity.png, and sweep.png for a sequence-length sweep. All written atomically, so a report
 * being rewritten is never seen half done.
 */
public final class GridReport {
    private GridReport() {}

    /** Writes the report files and returns the Markdown table (what the commands print). */
    public static String write(Path out, GridSpec spec, List<RunResult> results, boolean sweep) throws IOException {
        List<VariantSummary> rows = VariantSummary.group(spec.variants(), spec.labels(), results);
        String title = String.format(Locale.ROOT, "%s: %s", spec.name(), describe(spec));
        String table = GridTables.markdown(title, rows);
        if (results.stream().anyMatch(RunResult::resumed)) {
            table += "Some runs were interrupted and resumed from a checkpoint; their wall time counts only the last part.\n";
        }
        table += machine(results);
        AtomicFile.writeString(out.resolve("results.md"), table);
        AtomicFile.writeString(out.resolve("results.csv"), GridTables.csv(rows));
        AtomicFile.writeString(out.resolve("samples.md"), samples(spec, rows));
        if (!rows.isEmpty()) {
            GridCharts.curves(out, spec, rows);
            GridCharts.perplexityBars(out, "Held-out perplexity (" + spec.budget() + ")", rows);
            if (sweep) GridCharts.sweep(out, rows);
        }
        return table;
    }

    /** Where the speeds were measured: cores, JVM, and the load the machine carried (tokens/s depend on it). */
    static String machine(List<RunResult> results) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (RunResult r : results) {
            if (r.loadAverage() >= 0) {
                lo = Math.min(lo, r.loadAverage());
                hi = Math.max(hi, r.loadAverage());
            }
        }
        String load = lo <= hi ? String.format(Locale.ROOT, "; 1-minute load average %.1f–%.1f at the ends of the runs", lo, hi) : "";
        return String.format(Locale.ROOT, "Measured on %d cores, Java %s%s.%n", Runtime.getRuntime().availableProcessors(),
                Runtime.version().feature(), load);
    }

    /** One line of settings: corpus, mode, widths, batch, optimizer, budget, seeds. */
    static String describe(GridSpec spec) {
        var b = spec.base();
        String corpus = spec.corpus().paths().stream().map(p -> p.getFileName().toString()).reduce((x, y) -> x + "+" + y).orElse("");
        return String.format(Locale.ROOT, "%s, %s mode, hidden %d, embed %d, batch %d, %s lr %s, clip %s, %s, %d seed%s",
                corpus, b.mode().id(), b.hidden(), b.embed(), b.batch(), b.optimizer().id(), num(b.lr()), num(b.clip()),
                spec.budget(), spec.seeds().size(), spec.seeds().size() == 1 ? "" : "s");
    }

    /** samples.md: one text per run, all from the same start, top-k sampling with the run's seed. */
    static String samples(GridSpec spec, List<VariantSummary> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "### Samples: start \"%s\", %d tokens, top-%d sampling at temperature 1, final weights%n%n",
                spec.start(), spec.sampleLength(), spec.topK()));
        for (VariantSummary s : rows) {
            for (RunResult r : s.runs()) {
                sb.append("**").append(s.label()).append("**, seed ").append(r.seed())
                        .append(String.format(Locale.ROOT, " (held-out ppl %.2f):%n%n", r.valPpl()));
                for (String line : r.sample().split("\n", -1)) sb.append("> ").append(line).append('\n');
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String num(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e6 ? Long.toString((long) x) : Double.toString(x);
    }
}
