package io.github.yuefu.cli;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.optim.LrSchedule;
import io.github.yuefu.optim.OptimConfig;
import io.github.yuefu.train.Progress;
import io.github.yuefu.train.Trainer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yuefu train}: flags → CorpusConfig + TrainConfig → {@link Trainer}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a recurrent language model on a corpus; checkpoints, metrics.jsonl, samples and curves.png go to --out.",
                "Continue a stopped run (even one killed with kill -9) exactly with --resume RUN_DIR."})
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", arity = "1..*", paramLabel = "FILE", description = "corpus files or directories (poems.txt, chinese-poetry JSON/.tgz, text)")
    List<Path> corpusFiles;

    @Mixin
    CorpusOptions corpus;

    @Option(names = "--cell", description = "rnn, lstm or gru", defaultValue = "lstm", showDefaultValue = Visibility.ALWAYS)
    CellType cell;

    @Option(names = "--layers", description = "recurrent layers", defaultValue = "2", showDefaultValue = Visibility.ALWAYS)
    int layers;

    @Option(names = "--embed", description = "embedding width E", defaultValue = "128", showDefaultValue = Visibility.ALWAYS)
    int embed;

    @Option(names = "--onehot", description = "one-hot input instead of an embedding (layer 0 input width = vocabulary)")
    boolean onehot;

    @Option(names = "--hidden", description = "hidden width H", defaultValue = "256", showDefaultValue = Visibility.ALWAYS)
    int hidden;

    @Option(names = "--dropout", description = "dropout between layers and before the output", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    float dropout;

    @Option(names = "--mode", description = "poem (one poem per row, padded) or stream (contiguous text, state carried)", defaultValue = "poem", showDefaultValue = Visibility.ALWAYS)
    String mode;

    @Option(names = "--batch", description = "batch size B", defaultValue = "64", showDefaultValue = Visibility.ALWAYS)
    int batch;

    @Option(names = "--seq", description = "window length T in stream mode", defaultValue = "64", showDefaultValue = Visibility.ALWAYS)
    int seq;

    @Option(names = "--optimizer", description = "adam, rmsprop or sgd", defaultValue = "adam", showDefaultValue = Visibility.ALWAYS)
    String optimizer;

    @Option(names = "--lr", description = "learning rate", defaultValue = "0.002", showDefaultValue = Visibility.ALWAYS)
    double lr;

    @Option(names = "--lr-schedule", description = "constant, step (×--lr-decay every --lr-step steps), cosine, plateau (×--lr-decay after --lr-patience evaluations without improvement)", defaultValue = "constant", showDefaultValue = Visibility.ALWAYS)
    String lrSchedule;

    @Option(names = "--lr-decay", description = "decay factor for step and plateau schedules", defaultValue = "0.5", showDefaultValue = Visibility.ALWAYS)
    double lrDecay;

    @Option(names = "--lr-step", description = "steps between decays (step schedule)", defaultValue = "1000", showDefaultValue = Visibility.ALWAYS)
    long lrStep;

    @Option(names = "--lr-patience", description = "evaluations without improvement before a plateau cut", defaultValue = "2", showDefaultValue = Visibility.ALWAYS)
    int lrPatience;

    @Option(names = "--min-lr", description = "floor for cosine and plateau", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    double minLr;

    @Option(names = "--clip", description = "global gradient-norm clip (0 = off)", defaultValue = "5", showDefaultValue = Visibility.ALWAYS)
    double clip;

    @Option(names = "--weight-decay", description = "L2 weight decay (PyTorch style, added to the gradient)", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    double weightDecay;

    @Option(names = "--momentum", description = "SGD momentum", defaultValue = "0.9", showDefaultValue = Visibility.ALWAYS)
    double momentum;

    @Option(names = "--epochs", description = "epochs to train (0 = limited by --steps only)", defaultValue = "10", showDefaultValue = Visibility.ALWAYS)
    int epochs;

    @Option(names = "--steps", description = "updates to train (0 = limited by --epochs only)", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    long steps;

    @Option(names = "--val-fraction", description = "share of documents held out for validation", defaultValue = "0.05", showDefaultValue = Visibility.ALWAYS)
    double valFraction;

    @Option(names = "--eval-every", description = "steps between validation evaluations (and samples)", defaultValue = "200", showDefaultValue = Visibility.ALWAYS)
    long evalEvery;

    @Option(names = "--checkpoint-every", description = "steps between checkpoints (0 = with every evaluation)", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    long checkpointEvery;

    @Option(names = "--keep", description = "checkpoints kept: the best k by validation perplexity (plus the latest)", defaultValue = "3", showDefaultValue = Visibility.ALWAYS)
    int keep;

    @Option(names = "--early-stop", description = "stop after this many evaluations without improvement (0 = off)", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    int earlyStop;

    @Option(names = "--target-ppl", description = "stop once validation perplexity is at or below this (0 = off)", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    double targetPpl;

    @Option(names = "--seed", description = "seed for weights, split, shuffling, dropout and samples", defaultValue = "42", showDefaultValue = Visibility.ALWAYS)
    long seed;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--log-every", description = "steps between plain log lines (when not on a terminal)", defaultValue = "20", showDefaultValue = Visibility.ALWAYS)
    long logEvery;

    @Option(names = "--sample-length", description = "longest sample written at each evaluation (0 = no samples)", defaultValue = "64", showDefaultValue = Visibility.ALWAYS)
    int sampleLength;

    @Option(names = "--sample-temperature", description = "temperature of those samples", defaultValue = "0.8", showDefaultValue = Visibility.ALWAYS)
    double sampleTemperature;

    @Option(names = "--time-limit", paramLabel = "MINUTES", description = "also stop after this much wall-clock time (0 = none)", defaultValue = "0", showDefaultValue = Visibility.ALWAYS)
    double timeLimit;

    @Option(names = "--out", paramLabel = "DIR", description = "new run directory (default: runs/<date-time>)")
    Path out;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue this run from its latest good checkpoint, with its own settings")
    Path resume;

    @Option(names = "--no-plot", description = "do not draw curves.png at the end")
    boolean noPlot;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        Trainer.Options opt = new Trainer.Options(err, Progress.isTerminal(), !noPlot, 0);
        Trainer.Result r;
        if (resume != null) {
            for (var o : spec.commandLine().getParseResult().matchedOptions()) {
                if (!java.util.Set.of("--resume", "--threads", "--no-plot").contains(o.longestName())) {
                    throw new ConfigException("--resume continues " + resume + " with its own corpus and settings; drop " + o.longestName());
                }
            }
            r = Trainer.resume(resume, opt);
        } else {
            if (corpusFiles == null) throw new ConfigException("--corpus FILE is required (or --resume RUN_DIR)");
            Path dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            r = Trainer.start(corpus.toConfig(corpusFiles), config(), dir, opt);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s: %d steps, best val_ppl %.2f at step %d (%s)%n",
                r.runDir(), r.steps(), r.bestValPpl(), r.bestStep(), r.stopReason());
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }

    TrainConfig config() {
        TrainConfig.Builder b = new TrainConfig.Builder();
        b.valFraction = valFraction;
        b.cell = cell;
        b.layers = layers;
        b.input = onehot ? InputKind.ONEHOT : InputKind.EMBEDDING;
        b.embed = embed;
        b.hidden = hidden;
        b.dropout = dropout;
        b.mode = TrainConfig.Mode.parse(mode);
        b.batch = batch;
        b.seq = seq;
        b.optimizer = OptimConfig.Kind.parse(optimizer);
        b.lr = lr;
        b.lrSchedule = LrSchedule.Kind.parse(lrSchedule);
        b.lrDecay = lrDecay;
        b.lrStep = lrStep;
        b.lrPatience = lrPatience;
        b.minLr = minLr;
        b.clip = clip;
        b.weightDecay = weightDecay;
        b.momentum = momentum;
        b.epochs = epochs;
        b.steps = steps;
        b.evalEvery = evalEvery;
        b.checkpointEvery = checkpointEvery;
        b.keep = keep;
        b.earlyStop = earlyStop;
        b.targetPpl = targetPpl;
        b.seed = seed;
        b.logEvery = logEvery;
        b.sampleLength = sampleLength;
        b.sampleTemperature = sampleTemperature;
        b.timeLimitMinutes = timeLimit;
        return b.build();
    }
}
