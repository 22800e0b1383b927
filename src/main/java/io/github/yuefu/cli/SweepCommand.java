package io.github.yuefu.cli;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.experiments.GridSpec;
import io.github.yuefu.experiments.Grids;
import io.github.yuefu.experiments.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yuefu sweep}: the truncated-BPTT window's effect on held-out perplexity and speed. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        header = "Sweep the truncated-BPTT window (--seq): held-out perplexity and speed.",
        description = {"Train one model per truncated-BPTT window (--seq) in stream mode under an",
                "equal budget per run, and report held-out perplexity and speed against the",
                "window: results.md/.csv, sweep.png, curves.png, samples.md. A --tokens budget",
                "gives every window the same text. Run it again to continue an interrupted sweep.",
                "Example: yuefu sweep lyrics.txt --seq 16,32,64,128 --tokens 2000000 --out sweep"})
public final class SweepCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "CORPUS", description = "Corpus files or directories (read in order).")
    List<Path> paths = new ArrayList<>();

    @Mixin
    CorpusOptions corpus;

    @Mixin
    CompareCommand.GridOptions grid;

    @Option(names = "--seq", split = ",", defaultValue = "16,32,64,128", showDefaultValue = Visibility.ALWAYS,
            description = "Windows T to compare.")
    List<Integer> seqs = new ArrayList<>();

    @Option(names = "--cell", defaultValue = "lstm", showDefaultValue = Visibility.ALWAYS, description = "rnn, lstm or gru.")
    String cell;

    @Option(names = "--input", defaultValue = "embedding", showDefaultValue = Visibility.ALWAYS, description = "embedding or onehot.")
    String input;

    @Option(names = "--layers", defaultValue = "1", showDefaultValue = Visibility.ALWAYS, description = "Recurrent layers.")
    int layers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!grid.mode.equalsIgnoreCase("stream")) {
            throw new io.github.yuefu.config.ConfigException("sweep varies the truncated-BPTT window, which exists in stream mode only: drop --mode "
                    + grid.mode);
        }
        List<Variant> variants = new ArrayList<>();
        for (int t : seqs) variants.add(new Variant(CellType.parse(cell), InputKind.parse(input), layers, t));
        GridSpec g = grid.spec("Truncated-BPTT window sweep", corpus.toConfig(paths), variants);
        Grids.run(grid.out, g, true, spec.commandLine().getOut());
        return Main.EXIT_OK;
    }
}
