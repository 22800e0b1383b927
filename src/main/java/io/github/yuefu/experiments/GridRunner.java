package io.github.yuefu.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.checkpoint.AtomicFile;
import io.github.yuefu.checkpoint.CheckpointStore;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.generate.Generator;
import io.github.yuefu.train.CorpusJson;
import io.github.yuefu.train.MetricsLog;
import io.github.yuefu.train.RunDirectory;
import io.github.yuefu.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a {@link GridSpec} with the training loop ({@link Trainer}), one run directory per (variant, seed), and
 * makes it resumable:
 * <pre>
 *   OUT/grid.json             the spec; a second invocation must ask for the same grid (or it is refused)
 *   OUT/steps.json            steps per variant, fixed once (a --minutes budget is timed once per variant)
 *   OUT/runs/ID/              a yuefu train run directory (run.json, metrics.jsonl, checkpoints/, model.safetensors)
 *   OUT/runs/ID/result.json   written atomically when the run has finished: the run is then never repeated
 * </pre>
 * An interrupted grid continues where it stopped: finished runs are read back, an unfinished run with a
 * checkpoint resumes from it (exactly, as {@code yuefu train --resume}), and one without a checkpoint restarts.
 */
public final class GridRunner {
    /** Steps whose training losses are averaged into the "final train loss", at most (and at most a tenth of the run). */
    public static final int FINAL_LOSS_WINDOW = 50;
    /** Timed steps of a --minutes calibration (after {@link #WARMUP} untimed ones: the JIT compiles in those). */
    static final int CALIBRATION_STEPS = 10, WARMUP = 5;
    /** Share of a --minutes budget given to training steps; the rest pays for evaluations and checkpoints. */
    static final double TRAIN_SHARE = 0.85;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path out;
    private final GridSpec spec;
    private final PrintWriter log;
    private final Trainer.Options quiet = new Trainer.Options(new PrintStream(PrintStream.nullOutputStream()), false, false, 0);
    private final Map<String, Long> steps = new LinkedHashMap<>();
    private List<String> failed = List.of();

    public GridRunner(Path out, GridSpec spec, PrintWriter log) {
        this.out = out;
        this.spec = spec;
        this.log = log;
    }

    /** Runs (or finishes) every run of the grid and returns all results, in grid order. */
    public List<RunResult> run() throws IOException {
        claim();
        List<RunResult> results = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int total = spec.variants().size() * spec.seeds().size(), i = 0;
        for (Variant v : spec.variants()) {
            for (long seed : spec.seeds()) {
                i++;
                try {
                    results.add(runOne(v, seed, i, total));
                } catch (ConfigException e) {
                    // The first run failing is a problem with the whole grid (corpus, options): stop at once.
                    // A later one (typically a variant that diverges) must not cost the others their runs.
                    if (results.isEmpty()) throw e;
                    log.printf(Locale.ROOT, "[%d/%d] %s: FAILED: %s%n", i, total, v.runId(seed), e.getMessage());
                    failed.add(v.runId(seed));
                }
            }
        }
        this.failed = List.copyOf(failed);
        return results;
    }

    /** Runs of the last {@link #run()} that failed (they are left out of the results and retried next time). */
    public List<String> failed() {
        return failed;
    }

    /** Results of the runs finished so far (for reports on a grid still in progress). */
    public static List<RunResult> finished(Path out) throws IOException {
        List<RunResult> list = new ArrayList<>();
        Path runs = out.resolve("runs");
        if (!Files.isDirectory(runs)) return list;
        try (Stream<Path> s = Files.list(runs)) {
            for (Path d : s.sorted().toList()) {
                Path f = d.resolve("result.json");
                if (Files.isRegularFile(f)) list.add(JSON.readValue(f.toFile(), RunResult.class));
            }
        }
        return list;
    }

    /** Writes grid.json for a new grid, or checks that the directory holds this same grid. */
    private void claim() throws IOException {
        Path plan = out.resolve("grid.json");
        JsonNode want = JSON.readTree(JSON.writeValueAsString(specJson())); // as it reads back (float vs double nodes)
        if (Files.isRegularFile(plan)) {
            JsonNode have = JSON.readTree(plan.toFile());
            if (!have.equals(want)) {
                throw new ConfigException(out + " holds a different grid (see its grid.json): repeat the original options to "
                        + "continue it, or give a new --out");
            }
            log.println("continuing the grid in " + out);
        } else {
            if (Files.isDirectory(out)) {
                try (Stream<Path> s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new ConfigException("--out " + out + " is a non-empty directory that is not a grid; give a new or empty one");
                    }
                }
            }
            Files.createDirectories(out.resolve("runs"));
            AtomicFile.writeString(plan, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(want) + "\n");
        }
        Path stepsFile = out.resolve("steps.json");
        if (Files.isRegularFile(stepsFile)) {
            JSON.readTree(stepsFile.toFile()).properties().forEach(e -> steps.put(e.getKey(), e.getValue().asLong()));
        }
    }

    private ObjectNode specJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "yuefu-grid");
        o.put("name", spec.name());
        o.set("corpus", CorpusJson.toJson(spec.corpus()));
        o.set("base", JSON.valueToTree(spec.base()));
        o.set("variants", JSON.valueToTree(spec.variants().stream().map(Variant::id).toList()));
        o.set("seeds", JSON.valueToTree(spec.seeds()));
        o.put("budget", spec.budget().toString());
        o.put("eval_points", spec.evalPoints());
        o.put("start", spec.start());
        o.put("sample_length", spec.sampleLength());
        o.put("top_k", spec.topK());
        return o;
    }

    private RunResult runOne(Variant v, long seed, int i, int total) throws IOException {
        String id = v.runId(seed);
        Path dir = out.resolve("runs").resolve(id);
        Path resultFile = dir.resolve("result.json");
        if (Files.isRegularFile(resultFile)) {
            log.printf(Locale.ROOT, "[%d/%d] %s: done earlier%n", i, total, id);
            return JSON.readValue(resultFile.toFile(), RunResult.class);
        }
        long n = stepsFor(v);
        long t0 = System.nanoTime();
        boolean resumable = CheckpointStore.isRun(dir) && !CheckpointStore.open(dir).entries().isEmpty();
        log.printf(Locale.ROOT, "[%d/%d] %s: %s %,d steps%n", i, total, id, resumable ? "resuming," : "training", n);
        Trainer.Result r;
        if (resumable) {
            r = Trainer.resume(dir, quiet);
        } else {
            deleteTree(dir); // a run killed before its first checkpoint: nothing to keep
            r = Trainer.start(spec.corpus(), spec.runConfig(v, seed, n), dir, quiet);
        }
        RunResult res = collect(v, seed, dir, r, (System.nanoTime() - t0) * 1e-9, resumable);
        AtomicFile.writeString(resultFile, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(res) + "\n");
        log.printf(Locale.ROOT, "[%d/%d] %s: held-out ppl %.2f, %.3f bits/char, train loss %.3f, %,.0f tokens/s, %s%n", i,
                total, id, res.valPpl(), res.valBpc(), res.finalTrainLoss(), res.tokensPerSec(), GridTables.duration(res.wallSeconds()));
        return res;
    }

    /** Steps for every run of this variant: from the budget, timing the variant once for a --minutes budget. */
    private long stepsFor(Variant v) throws IOException {
        Long known = steps.get(v.id());
        if (known != null) return known;
        TrainConfig probe = spec.runConfig(v, spec.seeds().getFirst(), 1);
        long tokensPerStep = (long) probe.batch() * probe.seq();
        double secondsPerStep = spec.budget().timed() ? calibrate(v) / TRAIN_SHARE : Double.NaN;
        long n = spec.budget().steps(secondsPerStep, tokensPerStep);
        steps.put(v.id(), n);
        ObjectNode o = JSON.createObjectNode();
        steps.forEach(o::put);
        AtomicFile.writeString(out.resolve("steps.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
        return n;
    }

    /**
     * Seconds per training step of this variant on this machine now: a short throwaway run of the real training
     * loop, the median step time after the warm-up steps (from its metrics: tokens / tokens_per_s).
     */
    private double calibrate(Variant v) throws IOException {
        long t0 = System.nanoTime();
        Path dir = out.resolve("calibration").resolve(v.id());
        deleteTree(dir);
        // A long run stopped after the timed steps (the loop's kill switch): no evaluation, checkpoint or model file,
        // whose writes would only add to the timing run's cost.
        int steps = WARMUP + CALIBRATION_STEPS;
        TrainConfig cfg = spec.runConfig(v, spec.seeds().getFirst(), (long) steps * spec.evalPoints() * 2);
        Trainer.start(spec.corpus(), cfg, dir, new Trainer.Options(quiet.out(), false, false, steps));
        List<Double> dts = new ArrayList<>();
        long tokensPerStep = (long) cfg.batch() * cfg.seq();
        for (JsonNode n : MetricsLog.read(dir)) {
            if (n.has("tokens_per_s") && n.path("step").asLong() > WARMUP) dts.add(tokensPerStep / n.path("tokens_per_s").asDouble());
        }
        deleteTree(dir);
        if (dts.isEmpty()) throw new IllegalStateException("calibration of " + v.id() + " logged no steps");
        dts.sort(Comparator.naturalOrder());
        double median = dts.get(dts.size() / 2);
        log.printf(Locale.ROOT, "timing %s: %.3f s per step (timing run %s)%n", v.id(), median,
                GridTables.duration((System.nanoTime() - t0) * 1e-9));
        return median;
    }

    /** What the finished run measured: the last evaluation, the last losses, throughput, and one sample. */
    private RunResult collect(Variant v, long seed, Path dir, Trainer.Result r, double wall, boolean resumed) throws IOException {
        List<Double> losses = new ArrayList<>();
        JsonNode lastEval = null;
        for (JsonNode n : MetricsLog.read(dir)) {
            if (n.has("loss")) losses.add(n.path("loss").asDouble());
            if (n.has("val_ppl")) lastEval = n;
        }
        if (lastEval == null) throw new IllegalStateException(dir + ": the run finished without an evaluation");
        double tail = 0;
        int from = losses.size() - finalLossWindow(losses.size());
        for (int k = from; k < losses.size(); k++) tail += losses.get(k);
        CheckpointStore store = CheckpointStore.open(dir);
        ModelFile.LoadedModel last = ModelFile.loadFile(store.file(store.byRecency().getFirst()));
        JsonNode history = last.json("history");
        long tokens = history.path("tokens_seen").asLong();
        double trainSeconds = r.seconds();
        String sample = sample(last, seed);
        return new RunResult(v.runId(seed), v.id(), seed, last.model().params().size(), r.steps(), tokens,
                lastEval.path("val_loss").asDouble(), lastEval.path("val_ppl").asDouble(), lastEval.path("val_bpc").asDouble(),
                r.bestValPpl(), tail / Math.max(1, losses.size() - from), tokens / Math.max(trainSeconds, 1e-9),
                wall, resumed, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), sample);
    }

    /** The last min(50, steps / 10) steps (at least 1): a short run's average must not reach back to its start. */
    static int finalLossWindow(int steps) {
        return Math.max(1, Math.min(FINAL_LOSS_WINDOW, steps / 10));
    }

    /** One text from the grid's start string with the final weights: top-k sampling, seeded by the run's seed. */
    private String sample(ModelFile.LoadedModel m, long seed) {
        SampleConfig c = SampleConfig.defaults()
                .withPrompt(new SampleConfig.Prompt(SampleConfig.PromptKind.PREFIX, spec.start()))
                .withDecoding(1.0, spec.topK(), 1.0, 0)
                .withRun(spec.sampleLength(), 1, seed, SampleConfig.InitialState.ZEROS);
        return new Generator(m.model(), m.vocabulary()).generate(c).getFirst().text();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
