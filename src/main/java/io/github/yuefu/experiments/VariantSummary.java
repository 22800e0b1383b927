package io.github.yuefu.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** One variant over its seeds: mean ± std of every measured figure. */
public record VariantSummary(Variant variant, String label, long parameters, List<RunResult> runs, Stats steps,
                             Stats valPpl, Stats bestValPpl, Stats valBpc, Stats finalTrainLoss, Stats tokensPerSec,
                             Stats wallSeconds) {

    public static VariantSummary of(Variant v, String label, List<RunResult> runs) {
        return new VariantSummary(v, label, runs.isEmpty() ? 0 : runs.getFirst().parameters(), List.copyOf(runs),
                stat(runs, RunResult::steps), stat(runs, RunResult::valPpl), stat(runs, RunResult::bestValPpl),
                stat(runs, RunResult::valBpc),
                stat(runs, RunResult::finalTrainLoss), stat(runs, RunResult::tokensPerSec), stat(runs, RunResult::wallSeconds));
    }

    /** Groups finished runs by variant, in the grid's variant order (variants with no finished run are left out). */
    public static List<VariantSummary> group(List<Variant> variants, List<String> labels, List<RunResult> results) {
        Map<String, List<RunResult>> byVariant = new LinkedHashMap<>();
        for (RunResult r : results) byVariant.computeIfAbsent(r.variant(), k -> new ArrayList<>()).add(r);
        List<VariantSummary> out = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            List<RunResult> rs = byVariant.get(variants.get(i).id());
            if (rs != null) out.add(of(variants.get(i), labels.get(i), rs));
        }
        return out;
    }

    private static Stats stat(List<RunResult> runs, ToDoubleFunction<RunResult> f) {
        List<Double> xs = new ArrayList<>();
        for (RunResult r : runs) xs.add(f.applyAsDouble(r));
        return Stats.of(xs);
    }
}
