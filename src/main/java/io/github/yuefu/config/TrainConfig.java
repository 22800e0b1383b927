package io.github.yuefu.config;

import io.github.yuefu.optim.LrSchedule;
import io.github.yuefu.optim.OptimConfig;
import java.util.Locale;

/**
 * Everything {@code yuefu train} was asked to do, validated here and saved as {@code run.json} in the run
 * directory, so {@code --resume RUN} continues with exactly the same settings. Build one with {@link Builder}
 * (defaults = the CLI's defaults).
 *
 * <p>Budget: training stops at {@code epochs} epochs or {@code steps} updates, whichever comes first (0 = no limit
 * from that one; at least one must be set), or earlier on {@code earlyStop} / {@code targetPpl}, or when
 * {@code timeLimitMinutes} of wall-clock time have passed in this session (for demos; a time limit makes the stopping
 * step depend on the machine, not the curve).
 */
public record TrainConfig(
        // data (what is read and how is a CorpusConfig, saved beside this one)
        double valFraction,
        // model
        CellType cell, int layers, InputKind input, int embed, int hidden, float dropout,
        // batches
        Mode mode, int batch, int seq,
        // optimisation
        OptimConfig.Kind optimizer, double lr, LrSchedule.Kind lrSchedule, double lrDecay, long lrStep, int lrPatience,
        double minLr, double clip, double weightDecay, double momentum,
        // budget and bookkeeping
        int epochs, long steps, long evalEvery, long checkpointEvery, int keep, int earlyStop, double targetPpl,
        long seed, long logEvery, int sampleLength, double sampleTemperature, double timeLimitMinutes) {

    /** poem: one poem per sequence, padded, state from zero; stream: contiguous text, state carried across windows. */
    public enum Mode {
        POEM, STREAM;

        public static Mode parse(String s) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(s.trim())) return m;
            throw new ConfigException("unknown --mode '" + s + "': use poem or stream");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TrainConfig {
        if (!(valFraction > 0 && valFraction < 0.5)) throw new ConfigException("--val-fraction must be in (0, 0.5), got " + valFraction);
        if (layers < 1 || layers > 16) throw new ConfigException("--layers must be 1..16, got " + layers);
        if (input == InputKind.EMBEDDING && (embed < 1 || embed > 16384)) throw new ConfigException("--embed must be 1..16384, got " + embed);
        if (hidden < 1 || hidden > 16384) throw new ConfigException("--hidden must be 1..16384, got " + hidden);
        if (!(dropout >= 0 && dropout < 1)) throw new ConfigException("--dropout must be in [0, 1), got " + dropout);
        if (batch < 1 || batch > 65536) throw new ConfigException("--batch must be 1..65536, got " + batch);
        if (seq < 1 || seq > 65536) throw new ConfigException("--seq must be 1..65536, got " + seq);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new ConfigException("--lr must be positive, got " + lr);
        if (!(clip >= 0)) throw new ConfigException("--clip must be >= 0 (0 = off), got " + clip);
        if (!(weightDecay >= 0)) throw new ConfigException("--weight-decay must be >= 0, got " + weightDecay);
        if (epochs < 0 || steps < 0) throw new ConfigException("--epochs and --steps must be >= 0");
        if (epochs == 0 && steps == 0) throw new ConfigException("give --epochs or --steps (both are 0: training would never end)");
        if (evalEvery < 1) throw new ConfigException("--eval-every must be at least 1, got " + evalEvery);
        if (checkpointEvery < 0) throw new ConfigException("--checkpoint-every must be >= 0 (0 = with every evaluation), got " + checkpointEvery);
        if (keep < 1) throw new ConfigException("--keep must be at least 1, got " + keep);
        if (earlyStop < 0) throw new ConfigException("--early-stop must be >= 0 (0 = off), got " + earlyStop);
        if (!(targetPpl >= 0)) throw new ConfigException("--target-ppl must be >= 0 (0 = off), got " + targetPpl);
        if (logEvery < 1) throw new ConfigException("--log-every must be at least 1, got " + logEvery);
        if (sampleLength < 0) throw new ConfigException("--sample-length must be >= 0, got " + sampleLength);
        if (!(sampleTemperature > 0)) throw new ConfigException("--sample-temperature must be positive, got " + sampleTemperature);
        if (!(timeLimitMinutes >= 0)) throw new ConfigException("--time-limit must be >= 0 minutes (0 = none), got " + timeLimitMinutes);
        if (input == InputKind.ONEHOT) embed = 0;
    }

    /** The model's architecture once the vocabulary size is known. */
    public ModelConfig model(int vocab) {
        return new ModelConfig(cell, layers, vocab, input, embed, hidden, dropout);
    }

    public OptimConfig optim() {
        OptimConfig d = OptimConfig.defaults(optimizer, weightDecay);
        return new OptimConfig(optimizer, d.beta1(), d.beta2(), d.eps(), d.alpha(), momentum, weightDecay);
    }

    /** Steps between checkpoints: with every evaluation unless set. */
    public long checkpointInterval() {
        return checkpointEvery == 0 ? evalEvery : checkpointEvery;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.valFraction = valFraction;
        b.cell = cell; b.layers = layers; b.input = input; b.embed = embed; b.hidden = hidden; b.dropout = dropout;
        b.mode = mode; b.batch = batch; b.seq = seq;
        b.optimizer = optimizer; b.lr = lr; b.lrSchedule = lrSchedule; b.lrDecay = lrDecay; b.lrStep = lrStep;
        b.lrPatience = lrPatience; b.minLr = minLr; b.clip = clip; b.weightDecay = weightDecay; b.momentum = momentum;
        b.epochs = epochs; b.steps = steps; b.evalEvery = evalEvery; b.checkpointEvery = checkpointEvery; b.keep = keep;
        b.earlyStop = earlyStop; b.targetPpl = targetPpl; b.seed = seed; b.logEvery = logEvery;
        b.sampleLength = sampleLength; b.sampleTemperature = sampleTemperature; b.timeLimitMinutes = timeLimitMinutes;
        return b;
    }

    /** Mutable defaults (the CLI's), then {@link #build()} validates. */
    public static final class Builder {
        public double valFraction = 0.05;
        public CellType cell = CellType.LSTM;
        public int layers = 2;
        public InputKind input = InputKind.EMBEDDING;
        public int embed = 128, hidden = 256;
        public float dropout = 0f;
        public Mode mode = Mode.POEM;
        public int batch = 64, seq = 64;
        public OptimConfig.Kind optimizer = OptimConfig.Kind.ADAM;
        public double lr = 2e-3;
        public LrSchedule.Kind lrSchedule = LrSchedule.Kind.CONSTANT;
        public double lrDecay = 0.5;
        public long lrStep = 1000;
        public int lrPatience = 2;
        public double minLr = 0, clip = 5, weightDecay = 0, momentum = 0.9;
        public int epochs = 10;
        public long steps = 0, evalEvery = 200, checkpointEvery = 0;
        public int keep = 3, earlyStop = 0;
        public double targetPpl = 0;
        public long seed = 42, logEvery = 20;
        public int sampleLength = 64;
        public double sampleTemperature = 0.8;
        public double timeLimitMinutes = 0;

        public TrainConfig build() {
            return new TrainConfig(valFraction,
                    cell, layers, input, embed, hidden, dropout, mode, batch, seq,
                    optimizer, lr, lrSchedule, lrDecay, lrStep, lrPatience, minLr, clip, weightDecay, momentum,
                    epochs, steps, evalEvery, checkpointEvery, keep, earlyStop, targetPpl, seed, logEvery,
                    sampleLength, sampleTemperature, timeLimitMinutes);
        }
    }
}
