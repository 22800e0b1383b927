package io.github.yuefu.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.checkpoint.CheckpointStore;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.checkpoint.TrainingCheckpoint;
import io.github.yuefu.checkpoint.TrainingState;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.data.Batch;
import io.github.yuefu.data.Batches;
import io.github.yuefu.data.Cursor;
import io.github.yuefu.data.StreamBatches;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.model.RecurrentState;
import io.github.yuefu.optim.GradClip;
import io.github.yuefu.optim.LrSchedule;
import io.github.yuefu.optim.Optimizer;
import io.github.yuefu.tensor.ParamSet;
import io.github.yuefu.text.Vocabulary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The training loop:
 * <pre>
 *   for each batch:  zero grads → forward (dropout on, state carried in stream mode) → backward → clip global norm
 *                    → health check (NaN/Inf, loss &gt; 3× the first) → optimizer step at schedule(step)·lrScale
 *                    → metrics line → every --eval-every: held-out perplexity, samples, early stop
 *                    → every --checkpoint-every: checkpoint (keep best k + latest)
 *   at the end:      final checkpoint, best weights to model.safetensors, curves.png
 * </pre>
 * Exact resume: everything that influences the next update (weights, moments, schedule state, step, data cursor,
 * dropout RNG, carried state, the health guard's memory) is in each checkpoint, and evaluation and sampling touch
 * none of it — so a run resumed from step C repeats steps C+1… bit for bit at the same thread count.
 *
 * <p>Health: a non-finite loss or gradient, or a loss above 3× the first step's, rolls back to the latest good
 * checkpoint (or the initial weights), halves the learning rate and continues; the 4th time it stops with advice.
 */
public final class Trainer {
    /** How a run is watched; {@code stopAfterSteps} &gt; 0 makes it return abruptly after that many steps with no
     *  final checkpoint — the tests' stand-in for kill -9. */
    public record Options(PrintStream out, boolean tty, boolean plot, long stopAfterSteps) {
        public static Options quiet() {
            return new Options(new PrintStream(PrintStream.nullOutputStream()), false, false, 0);
        }
    }

    /** How a run ended. */
    public record Result(Path runDir, long steps, double bestValPpl, long bestStep, String stopReason, double seconds,
                         int rollbacks) {}

    public static final int MAX_ROLLBACKS = 3;

    private final TrainConfig cfg;
    private final TrainData data;
    private final Path runDir;
    private final Options opt;
    private final LanguageModel model;
    private final ParamSet ps;
    private final Optimizer optimizer;
    private final LrSchedule schedule;
    private final CheckpointStore store;
    private final boolean stream;         // stream mode: state carried across windows
    private RecurrentState carried;       // (L, B, H) stream mode only, created at the first batch
    private final long totalSteps;
    private MetricsLog metrics;
    private Progress progress;

    // Everything below is saved in checkpoints (TrainingState).
    private long step;
    private double lrScale = 1;
    private int rollbacks;
    private double bestValPpl = Double.POSITIVE_INFINITY;
    private long bestStep = -1;
    private int badEvals;
    private double startLoss = Double.NaN;
    private long tokensSeen;
    private double lastValPpl = Double.NaN;
    private double trainSeconds;

    private long lastEvalStep = -1, lastCheckpointStep = -1;
    private CorpusConfig corpus; // saved in model metadata when known
    private double lastLoss = Double.NaN, lastGradNorm = Double.NaN; // for log lines
    private String stopReason;

    public Trainer(TrainConfig cfg, TrainData data, Path runDir, Options opt) {
        this.cfg = cfg;
        this.data = data;
        this.runDir = runDir;
        this.opt = opt;
        this.model = new LanguageModel(cfg.model(data.vocab().size()));
        this.ps = model.params();
        this.optimizer = Optimizer.create(cfg.optim(), ps.size());
        long perEpoch = data.train().batchesPerEpoch();
        long byEpochs = cfg.epochs() == 0 ? Long.MAX_VALUE : cfg.epochs() * perEpoch;
        this.totalSteps = Math.min(byEpochs, cfg.steps() == 0 ? Long.MAX_VALUE : cfg.steps());
        this.schedule = new LrSchedule(cfg.lrSchedule(), cfg.lr(), cfg.lrDecay(), cfg.lrStep(), totalSteps,
                cfg.minLr(), cfg.lrPatience());
        this.store = CheckpointStore.create(runDir);
        this.stream = data.train() instanceof StreamBatches;
        initialize();
    }

    /** Seeded start: weights from --seed, dropout RNG from --seed, data at epoch 0. */
    private void initialize() {
        model.initialize(cfg.seed());
        model.setRngState(cfg.seed() * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        optimizer.restore(zeros(optimizer.moments()), 0);
        schedule.restore(LrSchedule.State.INITIAL);
        data.train().seek(Cursor.start(data.train().cursor().seed()));
        carried = null;
        step = 0;
        lrScale = 1;
        rollbacks = 0;
        bestValPpl = Double.POSITIVE_INFINITY;
        bestStep = -1;
        badEvals = 0;
        startLoss = Double.NaN;
        tokensSeen = 0;
        lastValPpl = Double.NaN;
        trainSeconds = 0;
        lastEvalStep = lastCheckpointStep = -1;
    }

    private static Map<String, float[]> zeros(Map<String, float[]> like) {
        Map<String, float[]> m = new LinkedHashMap<>();
        like.forEach((k, v) -> m.put(k, new float[v.length]));
        return m;
    }

    /** A new run in {@code out} (which must be new or empty) on the corpus the config names. */
    public static Result start(CorpusConfig corpus, TrainConfig cfg, Path out, Options opt) throws IOException {
        RunDirectory.checkNew(out);
        TrainData data = CorpusData.load(corpus, cfg);
        RunDirectory.create(out, corpus, cfg);
        Trainer t = new Trainer(cfg, data, out, opt);
        t.corpus = corpus;
        return t.run();
    }

    /** Continues the run in {@code run} from its latest good checkpoint, with the settings it was started with. */
    public static Result resume(Path run, Options opt) throws IOException {
        TrainConfig cfg = RunDirectory.readConfig(run);
        CorpusConfig corpus = RunDirectory.readCorpus(run);
        CheckpointStore store = CheckpointStore.open(run);
        if (store.entries().isEmpty()) {
            throw new ConfigException(run + ": this run has no checkpoint yet; start it again with --out instead of --resume");
        }
        ModelFile.LoadedModel latest = store.loadFirstGood(store.byRecency(), ModelFile::loadFile, m -> opt.out().println("yuefu: warning: " + m));
        TrainData data = CorpusData.reload(corpus, cfg, CorpusJson.splitSpec(latest.json(ModelFile.META_SPLIT)));
        Trainer t = new Trainer(cfg, data, run, opt);
        t.corpus = corpus;
        t.resumeFrom(latest);
        return t.run();
    }

    public LanguageModel model() {
        return model;
    }

    /** Continues from the run's latest good checkpoint (refusing damaged ones with a warning). */
    public void resumeFromLatest() throws IOException {
        if (store.entries().isEmpty()) {
            throw new ConfigException(runDir + ": this run has no checkpoint yet; start it again with --out instead of --resume");
        }
        resumeFrom(loadLatestGood());
    }

    /** Continues from this checkpoint (already loaded and verified). */
    public void resumeFrom(ModelFile.LoadedModel checkpoint) throws IOException {
        restore(checkpoint);
        MetricsLog.truncateAfter(runDir, step);
        store.truncateAfter(step);
    }

    private ModelFile.LoadedModel loadLatestGood() {
        return store.loadFirstGood(store.byRecency(), ModelFile::loadFile, msg -> say("warning: " + msg));
    }

    private void restore(ModelFile.LoadedModel lm) {
        if (!lm.vocabulary().tokens().equals(data.vocab().tokens())) {
            throw new ConfigException(lm.file() + ": the corpus gives a different vocabulary (" + data.vocab().size()
                    + " tokens) from the checkpoint's (" + lm.vocabulary().size()
                    + "): resume with the same corpus and filters as the original run");
        }
        if (!lm.config().equals(model.config())) {
            throw new ConfigException(lm.file() + ": checkpoint model " + lm.config() + " differs from the run's " + model.config());
        }
        System.arraycopy(lm.model().params().data, 0, ps.data, 0, ps.size());
        TrainingState s = TrainingCheckpoint.state(lm);
        if (!s.optimizer().equals(optimizer.kind())) {
            throw new ConfigException(lm.file() + ": written with --optimizer " + s.optimizer() + ", this run uses " + optimizer.kind());
        }
        optimizer.restore(s.moments(), s.optimizerSteps());
        schedule.restore(s.schedule());
        long[] c = s.cursor();
        if (c.length != 3) throw new ConfigException(lm.file() + ": bad data cursor in the checkpoint");
        data.train().seek(new Cursor((int) c[0], (int) c[1], c[2]));
        model.setRngState(s.modelRng());
        carried = null;
        if (stream && s.carriedH() != null) {
            int L = model.config().layers(), H = model.config().hidden();
            carried = model.newState(s.carriedH().length / (L * H));
            if (s.carriedH().length != carried.h.length || (carried.c != null && s.carriedC() == null)) {
                throw new ConfigException(lm.file() + ": the carried state in the checkpoint does not fit the model");
            }
            System.arraycopy(s.carriedH(), 0, carried.h, 0, carried.h.length);
            if (carried.c != null) System.arraycopy(s.carriedC(), 0, carried.c, 0, carried.c.length);
        }
        step = s.step();
        lrScale = s.lrScale();
        rollbacks = s.rollbacks();
        bestValPpl = s.bestValPpl();
        bestStep = s.bestStep();
        badEvals = s.badEvals();
        startLoss = s.startLoss();
        tokensSeen = s.tokensSeen();
        lastValPpl = s.lastValPpl();
        trainSeconds = s.trainSeconds();
        lastEvalStep = lastCheckpointStep = step;
    }

    /** Runs until the budget, early stop, target perplexity, or a stop after too many rollbacks. */
    public Result run() throws IOException {
        metrics = new MetricsLog(runDir);
        progress = new Progress(opt.out(), opt.tty(), cfg.logEvery(), runDir);
        try {
            say(String.format(Locale.ROOT, "training %s: %,d parameters, vocabulary %d, %d batches per epoch, %s",
                    model.config(), ps.size(), data.vocab().size(), data.train().batchesPerEpoch(),
                    totalSteps == Long.MAX_VALUE ? "no step limit" : totalSteps + " steps"));
            if (step > 0) say("resumed at step " + step + " (epoch " + (data.train().cursor().epoch() + 1) + ")");
            loop();
            if (opt.stopAfterSteps() > 0 && stopReason == null) return result(); // simulated kill: no clean shutdown
            finish();
            return result();
        } finally {
            metrics.close();
            progress.close();
        }
    }

    private Result result() {
        return new Result(runDir, step, bestValPpl, bestStep, stopReason, trainSeconds, rollbacks);
    }

    private void loop() throws IOException {
        Batches train = data.train();
        long sessionStart = System.nanoTime();
        while (stopReason == null) {
            if (cfg.timeLimitMinutes() > 0 && (System.nanoTime() - sessionStart) * 1e-9 >= cfg.timeLimitMinutes() * 60) {
                stopReason = String.format(Locale.ROOT, "--time-limit of %s minutes reached", cfg.timeLimitMinutes());
                break;
            }
            if (step >= totalSteps) {
                stopReason = "reached " + totalSteps + " steps";
                break;
            }
            if (cfg.epochs() > 0 && epochsDone() >= cfg.epochs()) {
                stopReason = "finished " + cfg.epochs() + (cfg.epochs() == 1 ? " epoch" : " epochs");
                break;
            }
            if (opt.stopAfterSteps() > 0 && step >= opt.stopAfterSteps()) return;
            Batch b = train.next();
            if (stream) {
                if (carried == null || carried.batch != b.batch()) carried = model.newState(b.batch());
                if (b.resetState()) carried.reset();
            }
            long t0 = System.nanoTime();
            double lr = schedule.lr(step) * lrScale;
            ps.zeroGrad();
            double loss = model.forward(b.inputs(), b.targets(), b.batch(), b.time(), Vocabulary.PAD, carried, true);
            model.backward();
            double gnorm = GradClip.clip(ps.grad, cfg.clip());
            String bad = diagnose(loss, gnorm);
            if (bad != null) {
                rollback(bad);
                continue;
            }
            if (Double.isNaN(startLoss)) startLoss = loss;
            optimizer.step(ps, lr);
            step++;
            int counted = model.lastTargetCount();
            tokensSeen += counted;
            double dt = (System.nanoTime() - t0) * 1e-9;
            trainSeconds += dt;
            double tokPerS = counted / Math.max(dt, 1e-9);
            metrics.step(step, loss, gnorm, lr, tokPerS);
            lastLoss = loss;
            lastGradNorm = gnorm;
            double eta = totalSteps == Long.MAX_VALUE ? -1 : trainSeconds / step * (totalSteps - step);
            if (cfg.timeLimitMinutes() > 0) eta = Math.min(eta < 0 ? Double.MAX_VALUE : eta, cfg.timeLimitMinutes() * 60 - (System.nanoTime() - sessionStart) * 1e-9);
            progress.step(step, totalSteps == Long.MAX_VALUE ? 0 : totalSteps, b.epoch(), loss, gnorm, lr,
                    tokensSeen / Math.max(trainSeconds, 1e-9), lastValPpl, eta);
            boolean ckptDue = step % cfg.checkpointInterval() == 0;
            if (step % cfg.evalEvery() == 0 || ckptDue) evaluate();
            if (ckptDue) checkpoint();
        }
    }

    /** Whole epochs behind the cursor (the cursor sits at (e, batchesPerEpoch) after the last batch of epoch e). */
    private long epochsDone() {
        Cursor c = data.train().cursor();
        return c.epoch() + (c.index() >= data.train().batchesPerEpoch() ? 1 : 0);
    }

    /** Null when healthy, else what is wrong. */
    private String diagnose(double loss, double gnorm) {
        if (!Double.isFinite(loss)) return "loss is " + loss;
        if (!Double.isFinite(gnorm)) return "gradient norm is " + gnorm;
        if (!Double.isNaN(startLoss) && loss > 3 * startLoss) {
            return String.format(Locale.ROOT, "loss %.4f rose above 3x its starting value %.4f", loss, startLoss);
        }
        return null;
    }

    private void rollback(String why) throws IOException {
        long at = step + 1;
        if (rollbacks >= MAX_ROLLBACKS) {
            say("stopping: " + why + " at step " + at + " after " + rollbacks + " rollbacks");
            throw new ConfigException("training diverged at step " + at + " (" + why + ") after " + MAX_ROLLBACKS
                    + " rollbacks with halved learning rates; try a lower --lr (was " + cfg.lr() + "), a smaller --clip (was "
                    + cfg.clip() + "), or --optimizer adam; the last good checkpoint is in " + runDir.resolve("checkpoints"));
        }
        double scale = lrScale * 0.5;
        int count = rollbacks + 1;
        if (store.entries().isEmpty()) {
            initialize();
        } else {
            restore(loadLatestGood());
        }
        lrScale = scale;
        rollbacks = count;
        metrics.close();
        MetricsLog.truncateAfter(runDir, step);
        metrics = new MetricsLog(runDir);
        ObjectNode ev = MetricsLog.record(step);
        ev.put("event", "rollback");
        ev.put("reason", why);
        ev.put("diverged_at", at);
        ev.put("lr_scale", lrScale);
        metrics.write(ev);
        say(String.format(Locale.ROOT, "rollback %d/%d: %s at step %d; back to step %d, learning rate halved to %.3g",
                rollbacks, MAX_ROLLBACKS, why, at, step, schedule.lr(step) * lrScale));
    }

    private void evaluate() throws IOException {
        if (lastEvalStep == step) return;
        Evaluator.Result r = Evaluator.evaluate(model, data.val());
        lastEvalStep = step;
        lastValPpl = r.ppl();
        metrics.eval(step, r);
        say(String.format(Locale.ROOT, "step %d  loss %.4f  grad_norm %.3f  tok/s %.0f  val_loss %.4f  val_ppl %.2f  val_bpc %.3f  (%d held-out tokens)",
                step, lastLoss, lastGradNorm, tokensSeen / Math.max(trainSeconds, 1e-9), r.loss(), r.ppl(), r.bpc(), r.tokens()));
        writeSamples();
        if (schedule.onValidation(r.loss())) say(String.format(Locale.ROOT, "plateau: learning rate cut to %.3g", schedule.lr(step) * lrScale));
        if (r.ppl() < bestValPpl) {
            bestValPpl = r.ppl();
            bestStep = step;
            badEvals = 0;
        } else {
            badEvals++;
        }
        if (cfg.earlyStop() > 0 && badEvals >= cfg.earlyStop()) {
            stopReason = "early stop: validation perplexity did not improve in " + badEvals + " evaluations";
        }
        if (cfg.targetPpl() > 0 && r.ppl() <= cfg.targetPpl()) {
            stopReason = String.format(Locale.ROOT, "reached --target-ppl %.2f (val_ppl %.2f)", cfg.targetPpl(), r.ppl());
        }
    }

    private void writeSamples() throws IOException {
        if (cfg.sampleLength() == 0) return;
        List<String> s = Samples.write(model, data.vocab(), data.tokenizer(), Samples.SEEDS, cfg.seed() ^ step, cfg.sampleTemperature(), cfg.sampleLength());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "== step %d (val_ppl %.2f)%n", step, lastValPpl));
        for (String line : s) sb.append(line).append('\n');
        Files.writeString(runDir.resolve("samples.txt"), sb.toString(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        for (String line : s) say("  " + line);
    }

    private void checkpoint() throws IOException {
        if (lastCheckpointStep == step) return;
        evaluate();
        Cursor cur = data.train().cursor();
        TrainingState s = new TrainingState(step, cur.epoch(), new long[] {cur.epoch(), cur.index(), cur.seed()}, model.rngState(),
                optimizer.kind(), optimizer.steps(), optimizer.moments(), schedule.state(), lrScale, rollbacks, bestValPpl,
                bestStep, badEvals, startLoss, tokensSeen, lastValPpl, trainSeconds,
                carried == null ? null : carried.h, carried == null ? null : carried.c);
        Path f = store.save(step, lastValPpl, cfg.keep(), file -> TrainingCheckpoint.save(file, model, data.vocab(), metadata(), s));
        lastCheckpointStep = step;
        say("checkpoint " + runDir.relativize(f));
    }

    /** Metadata for every file this run writes: split, run config, history. */
    private Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(ModelFile.META_SPLIT, CorpusJson.splitJson(data.split()));
        m.put("tokenizer", data.tokenizer().kind().name().toLowerCase(Locale.ROOT));
        if (corpus != null) m.put("corpus", CorpusJson.toJson(corpus).toString());
        m.put("train_config", RunDirectory.configJson(cfg));
        ObjectNode h = MetricsLog.record(step);
        h.put("epoch", epochsDone());
        h.put("tokens_seen", tokensSeen);
        h.put("best_val_ppl", Double.isFinite(bestValPpl) ? bestValPpl : -1);
        h.put("best_step", bestStep);
        h.put("last_val_ppl", Double.isFinite(lastValPpl) ? lastValPpl : -1);
        h.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        h.put("rollbacks", rollbacks);
        m.put("history", h.toString());
        return m;
    }

    private void finish() throws IOException {
        checkpoint();
        say("stopped: " + stopReason);
        ModelFile.LoadedModel best = ModelFile.load(runDir, msg -> say("warning: " + msg));
        Map<String, String> meta = new LinkedHashMap<>(best.metadata());
        meta.keySet().removeAll(List.of(TrainingCheckpoint.META_TRAINING, "checksum", ModelFile.META_KIND));
        ModelFile.save(runDir.resolve("model.safetensors"), best.model(), best.vocabulary(), meta);
        say(String.format(Locale.ROOT, "best val_ppl %.2f at step %d → %s", bestValPpl, bestStep, runDir.resolve("model.safetensors")));
        if (opt.plot()) {
            try {
                Path png = io.github.yuefu.plot.MetricsPlot.render(runDir);
                say("curves " + png);
            } catch (IOException | RuntimeException e) {
                say("warning: could not draw curves: " + e.getMessage());
            }
        }
    }

    private void say(String msg) {
        if (progress != null) progress.message(msg);
        else opt.out().println(msg);
    }
}
