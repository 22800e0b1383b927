package io.github.yuefu.cli;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.experiments.Budget;
import io.github.yuefu.experiments.GridSpec;
import io.github.yuefu.experiments.Grids;
import io.github.yuefu.experiments.Variant;
import io.github.yuefu.optim.OptimConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.LongStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yuefu compare}: RNN vs LSTM vs GRU, embedding vs one-hot, 1 vs 2 layers, on one corpus under one budget. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        header = "Compare RNN/LSTM/GRU, embedding/one-hot, layers and seeds on held-out perplexity.",
        description = {"Train a grid of variants (--cells x --inputs x --layers, --seeds seeds each) on",
                "one corpus under an equal budget per run (--steps, --tokens or --minutes) and",
                "compare them on held-out perplexity. Writes to --out: results.md, results.csv",
                "(parameters, held-out perplexity mean ± std, bits/char, final train loss,",
                "tokens/s, wall time), curves.png, perplexity.png, samples.md, runs/.",
                "Run the same command again to continue an interrupted grid.",
                "Example: yuefu compare ../shared/data/jaychou_lyrics.txt --minutes 2 --out cmp"})
public final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "CORPUS", description = "Corpus files or directories (read in order).")
    List<Path> paths = new ArrayList<>();

    @Mixin
    CorpusOptions corpus;

    @Mixin
    GridOptions grid;

    @Option(names = "--cells", split = ",", defaultValue = "rnn,lstm,gru", showDefaultValue = Visibility.ALWAYS,
            description = "Cell types: rnn, lstm, gru.")
    List<String> cells = new ArrayList<>();

    @Option(names = "--inputs", split = ",", defaultValue = "embedding,onehot", showDefaultValue = Visibility.ALWAYS,
            description = "Input encodings: embedding, onehot.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--layers", split = ",", defaultValue = "1", showDefaultValue = Visibility.ALWAYS,
            description = "Recurrent layer counts, e.g. 1,2.")
    List<Integer> layers = new ArrayList<>();

    @Option(names = "--seq", defaultValue = "64", showDefaultValue = Visibility.ALWAYS,
            description = "Truncated-BPTT window T (stream mode).")
    int seq;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Variant> variants = new ArrayList<>();
        for (String c : cells) {
            for (String in : inputs) {
                for (int l : layers) variants.add(new Variant(CellType.parse(c), InputKind.parse(in), l, seq));
            }
        }
        GridSpec g = grid.spec("Comparison", corpus.toConfig(paths), variants);
        Grids.run(grid.out, g, false, spec.commandLine().getOut());
        return Main.EXIT_OK;
    }

    /** The options {@code compare} and {@code sweep} share: budget, shared model and training settings, samples, output. */
    public static final class GridOptions {
        @Option(names = "--out", required = true, description = "Directory for the grid (new, or the same one to continue).")
        Path out;

        @Option(names = "--seeds", defaultValue = "1", showDefaultValue = Visibility.ALWAYS,
                description = "Seeds per variant (1..N): held-out perplexity is reported as mean ± std over them.")
        int seeds;

        @Option(names = "--steps", description = "Budget: optimizer steps per run.")
        long steps;

        @Option(names = "--tokens", description = "Budget: training tokens per run (steps = tokens / (batch x seq)).")
        long tokens;

        @Option(names = "--minutes", description = "Budget: minutes per run (each variant is timed once and given the steps that fit).")
        double minutes;

        @Option(names = "--mode", defaultValue = "stream", showDefaultValue = Visibility.ALWAYS,
                description = "stream (contiguous text, hidden state carried: lyrics, prose) or poem (one poem per sequence).")
        String mode;

        @Option(names = "--hidden", defaultValue = "256", showDefaultValue = Visibility.ALWAYS, description = "Hidden width H.")
        int hidden;

        @Option(names = "--embed", defaultValue = "128", showDefaultValue = Visibility.ALWAYS,
                description = "Embedding width E (embedding variants).")
        int embed;

        @Option(names = "--batch", defaultValue = "32", showDefaultValue = Visibility.ALWAYS, description = "Batch size B.")
        int batch;

        @Option(names = "--lr", defaultValue = "0.002", showDefaultValue = Visibility.ALWAYS, description = "Adam learning rate.")
        double lr;

        @Option(names = "--clip", defaultValue = "5", showDefaultValue = Visibility.ALWAYS, description = "Global gradient-norm clip.")
        double clip;

        @Option(names = "--dropout", defaultValue = "0", showDefaultValue = Visibility.ALWAYS, description = "Dropout between layers.")
        float dropout;

        @Option(names = "--val-fraction", defaultValue = "0.05", showDefaultValue = Visibility.ALWAYS,
                description = "Held-out share (documents; the tail of a single-document text).")
        double valFraction;

        @Option(names = "--eval-points", defaultValue = "10", showDefaultValue = Visibility.ALWAYS,
                description = "Held-out evaluations per run (points of the validation curve).")
        int evalPoints;

        @Option(names = "--start", defaultValue = "我", showDefaultValue = Visibility.ALWAYS,
                description = "Text every sample starts from (the same for every variant).")
        String start;

        @Option(names = "--sample-length", defaultValue = "80", showDefaultValue = Visibility.ALWAYS,
                description = "Tokens per sample.")
        int sampleLength;

        @Option(names = "--top-k", defaultValue = "5", showDefaultValue = Visibility.ALWAYS,
                description = "Samples draw from the k most likely tokens.")
        int topK;

        GridSpec spec(String name, io.github.yuefu.config.CorpusConfig corpusConfig, List<Variant> variants) {
            TrainConfig.Builder b = new TrainConfig.Builder();
            b.mode = TrainConfig.Mode.parse(mode);
            b.hidden = hidden;
            b.embed = embed;
            b.batch = batch;
            b.lr = lr;
            b.clip = clip;
            b.dropout = dropout;
            b.valFraction = valFraction;
            b.optimizer = OptimConfig.Kind.ADAM;
            b.steps = 1; // replaced per run by the budget
            List<Long> seedList = LongStream.rangeClosed(1, Math.max(seeds, 0)).boxed().toList();
            return new GridSpec(name, corpusConfig, b.build(), variants, seedList, Budget.of(steps, tokens, minutes),
                    evalPoints, start, sampleLength, topK);
        }
    }
}
