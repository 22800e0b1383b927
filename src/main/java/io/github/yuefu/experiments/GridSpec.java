package io.github.yuefu.experiments;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.TrainConfig;
import java.util.List;

/**
 * A grid of training runs on one corpus under one budget: every variant × every seed, all other settings shared.
 *
 * @param base         the shared training settings; each run overrides cell, input, layers, seq, seed and steps
 * @param evalPoints   held-out evaluations per run (the points of the validation curve; the last is at the end)
 * @param start        text every sample begins with, the same for every variant
 * @param sampleLength tokens generated per sample
 * @param topK         samples draw from the k most likely tokens (the lyrics report's top-5 sampling)
 */
public record GridSpec(String name, CorpusConfig corpus, TrainConfig base, List<Variant> variants, List<Long> seeds,
                       Budget budget, int evalPoints, String start, int sampleLength, int topK) {

    public GridSpec {
        variants = List.copyOf(variants);
        seeds = List.copyOf(seeds);
        if (variants.isEmpty()) throw new ConfigException("the grid is empty: give at least one value for every axis");
        if (seeds.isEmpty()) throw new ConfigException("--seeds must be at least 1");
        if (variants.stream().map(Variant::id).distinct().count() != variants.size()) {
            throw new ConfigException("the grid lists a variant twice: remove repeated values from --cells/--inputs/--layers/--seq");
        }
        if (evalPoints < 1 || evalPoints > 1000) throw new ConfigException("--eval-points must be 1..1000, got " + evalPoints);
        if (start == null || start.isEmpty()) throw new ConfigException("--start must be at least one character");
        if (sampleLength < 1 || sampleLength > 10_000) throw new ConfigException("--sample-length must be 1..10000, got " + sampleLength);
        if (topK < 0) throw new ConfigException("--top-k must be 0 (all) or positive, got " + topK);
    }

    /** Chart and table labels name only the axes that take more than one value. */
    public String label(Variant v) {
        return v.label(distinct(Variant::cell) > 1, distinct(Variant::input) > 1, distinct(Variant::layers) > 1,
                distinct(Variant::seq) > 1);
    }

    public List<String> labels() {
        return variants.stream().map(this::label).toList();
    }

    private long distinct(java.util.function.Function<Variant, Object> axis) {
        return variants.stream().map(axis).distinct().count();
    }

    /** The settings of one run: the shared ones with this variant's axes, this seed and this many steps. */
    public TrainConfig runConfig(Variant v, long seed, long steps) {
        TrainConfig.Builder b = base.toBuilder();
        b.cell = v.cell();
        b.input = v.input();
        b.layers = v.layers();
        b.seq = v.seq();
        b.seed = seed;
        b.epochs = 0;
        b.steps = steps;
        b.evalEvery = Math.max(1, steps / evalPoints);
        // A checkpoint (weights and Adam moments, fsynced) every third evaluation: an interrupted run loses at most
        // a third of its budget, and a one-hot model's 20 MB checkpoints do not eat the budget of a short run.
        b.checkpointEvery = b.evalEvery * Math.max(1, evalPoints / 3);
        b.keep = 1;
        b.sampleLength = 0;     // the grid draws its own samples, one per run from the same start
        b.earlyStop = 0;
        b.targetPpl = 0;
        return b.build();
    }
}
