package io.github.yuefu.experiments;

import java.util.List;
import java.util.Locale;

/** The grid's results as a Markdown table (for people) and a CSV (for spreadsheets and scripts). */
public final class GridTables {
    private GridTables() {}

    public static String markdown(String title, List<VariantSummary> rows) {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n");
        sb.append("| variant | parameters | seeds | steps | held-out perplexity | bits/char | final train loss | tokens/s "
                + "| wall time | best held-out perplexity |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (VariantSummary s : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %d | %,.0f | %s | %s | %s | %,.0f | %s | %s |%n", s.label(),
                    s.parameters(), s.runs().size(), s.steps().mean(), meanStd(s.valPpl(), 2), meanStd(s.valBpc(), 3),
                    meanStd(s.finalTrainLoss(), 3), s.tokensPerSec().mean(), duration(s.wallSeconds().mean()),
                    meanStd(s.bestValPpl(), 2)));
        }
        sb.append("\nHeld-out perplexity = exp(total NLL / tokens) over the whole validation split at the end of each run's "
                + "budget; mean ± sample std over seeds (one seed: no spread shown). Final train loss: mean NLL of the last "
                + GridRunner.FINAL_LOSS_WINDOW + " steps (a tenth of the run if shorter). Wall time includes evaluation; mean per run. Best held-out perplexity: the lowest of the run's evaluations "
                + "(below the final one once the model has begun to overfit).\n");
        return sb.toString();
    }

    public static String csv(List<VariantSummary> rows) {
        StringBuilder sb = new StringBuilder("variant,cell,input,layers,seq,parameters,seeds,steps_mean,val_ppl_mean,val_ppl_std,"
                + "val_bpc_mean,val_bpc_std,final_train_loss_mean,tokens_per_s_mean,wall_s_mean,best_val_ppl_mean\n");
        for (VariantSummary s : rows) {
            Variant v = s.variant();
            sb.append(String.join(",", v.id(), v.cell().id(), v.input().id(), Integer.toString(v.layers()),
                    Integer.toString(v.seq()), Long.toString(s.parameters()), Integer.toString(s.runs().size()),
                    num(s.steps().mean()), num(s.valPpl().mean()), num(s.valPpl().std()), num(s.valBpc().mean()),
                    num(s.valBpc().std()), num(s.finalTrainLoss().mean()), num(s.tokensPerSec().mean()),
                    num(s.wallSeconds().mean()), num(s.bestValPpl().mean()))).append('\n');
        }
        return sb.toString();
    }

    /** "12.34 ± 0.56", or "12.34" when there is no spread to show. */
    static String meanStd(Stats s, int decimals) {
        String f = "%." + decimals + "f";
        String m = String.format(Locale.ROOT, f, s.mean());
        return Double.isNaN(s.std()) ? m : m + " ± " + String.format(Locale.ROOT, f, s.std());
    }

    static String duration(double seconds) {
        if (seconds < 90) return String.format(Locale.ROOT, "%.1f s", seconds);
        return String.format(Locale.ROOT, "%d min %02d s", (long) seconds / 60, (long) seconds % 60);
    }

    private static String num(double x) {
        return Double.isNaN(x) ? "" : String.format(Locale.ROOT, "%.6g", x);
    }
}
