package io.github.yuefu.bench;

import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.model.RecurrentState;
import io.github.yuefu.optim.Adam;
import io.github.yuefu.optim.GradClip;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The char-LM benchmark, measuring exactly what {@code ../shared/bench/torch_charlm.py} measures, with the same
 * JSON field names:
 * <ul>
 *   <li>training: random (B, T+1) windows, zero initial state; a timed step = zero grad + forward + loss +
 *       backward + global-norm clip 5 + Adam (lr 2e-3); tokens/s = B·T / median step time after warm-up;</li>
 *   <li>generation: batch 1, greedy, state carried, 1,000 tokens one at a time; median of 3 runs after a
 *       warm-up of {@link CharLmBenchConfig#GEN_WARMUP} tokens (the peer: 20; C2 needs more, and bench/compare.sh
 *       gives the peer the same warm-up: bench/README.md). (The peer also takes a log-softmax before its argmax; argmax of the raw logits is the
 *       same token, so yuefu skips it — it is not needed to generate greedily.)</li>
 *   <li>FLOPs/token the peer's formula; achieved GFLOP/s = tokens/s · 3 · forward FLOPs; peak RSS = VmHWM.</li>
 * </ul>
 * Data: the peer's: {@code poems.txt} characters, the V-1 most frequent mapped to 1..V-1 and the rest to 0, when
 * the file exists; else a seeded Zipf(1) stream of 2M ids. (Speed does not depend on which text it is.)
 */
public final class CharLmBench {
    private static final Kernels ARGMAX = Kernels.best();
    /** The peak probe's shape, M = N by K: the (2048,512,2048), large enough to run at full speed. */
    private static final int PEAK_SHAPE = 2048, PEAK_SHAPE_K = 512;

    private CharLmBench() {}

    /** Runs the benchmark and returns the JSON fields in the peer's order. */
    public static Map<String, Object> run(CharLmBenchConfig c, Gemm gemm, Path poems) throws IOException {
        return run(c, gemm, poems, PEAK_SHAPE, PEAK_SHAPE_K);
    }

    /**
     * {@link #run} with the peak probe's shape (M = N, K) given: tests use a small one (a JVM that has run the
     * GEMM at several lane widths no longer compiles it for one, and 2048 × 512 × 2048 then takes seconds a call).
     */
    static Map<String, Object> run(CharLmBenchConfig c, Gemm gemm, Path poems, int peakMn, int peakK) throws IOException {
        Parallel.setThreads(c.threads());
        double rssStart = status("VmRSS:");
        ModelConfig mc = new ModelConfig(c.cell(), c.layers(), c.vocab(), InputKind.EMBEDDING, c.embed(), c.hidden(), 0f);
        LanguageModel model = new LanguageModel(mc, gemm);
        model.initialize(c.seed());
        float[] grad = model.params().grad;
        Adam adam = new Adam(grad.length, 0.9, 0.999, 1e-8, 0);

        String[] desc = new String[1];
        int[] ids = data(c, poems, desc);
        SplittableRandom rnd = new SplittableRandom(c.seed() + 1);
        int b = c.batch(), t = c.seq();
        int[] x = new int[b * t], y = new int[b * t];

        List<Double> times = new ArrayList<>(), cpuTimes = new ArrayList<>();
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        // Bytes the calling thread allocates per timed step: 0 in a healthy steady state; boxed vectors (a kernel
        // C2 could not compile into registers) show up here long before they show up as a slow step.
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long allocTimed = 0;
        double lossFirst = 0, lossLast = 0;
        for (int step = 0; step < c.warmup() + c.steps(); step++) {
            for (int r = 0; r < b; r++) {
                int start = rnd.nextInt(ids.length - t - 1);
                System.arraycopy(ids, start, x, r * t, t);
                System.arraycopy(ids, start + 1, y, r * t, t);
            }
            long a0 = threads.getCurrentThreadAllocatedBytes();
            long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            model.params().zeroGrad();
            double loss = model.forward(x, y, b, t, -1, null, true);
            model.backward();
            GradClip.clip(grad, 5.0);
            adam.step(model.params(), c.lr());
            double dt = (System.nanoTime() - t0) / 1e9, cpu = (os.getProcessCpuTime() - c0) / 1e9;
            if (step == 0) lossFirst = loss;
            lossLast = loss;
            if (step >= c.warmup()) {
                times.add(dt);
                cpuTimes.add(cpu);
                allocTimed += threads.getCurrentThreadAllocatedBytes() - a0;
            }
        }
        double peakTrain = status("VmHWM:");

        // Greedy generation, batch 1, state carried, from the trained weights as they now stay (so the step may
        // keep layer 0's input projection per token seen, as write and serve do: the same results).
        model.setWeightsFrozen(true);
        float[] logits = new float[c.vocab()];
        generate(model, logits, c.genWarmup());
        double[] gen = new double[3];
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            generate(model, logits, c.genTokens());
            gen[i] = (System.nanoTime() - t0) / 1e9;
        }
        double peakAll = status("VmHWM:");
        // The sgemm peak for share_of_peak, measured after the RSS readings so that its 24 MB of operands do not
        // count: the figure given (bench/compare.sh measures OpenBLAS's just before), else our own sgemm now.
        double peak = c.peakGflops();
        String peakSource = "given (--peak-gflops)";
        if (peak == 0) {
            GemmBench.Result r = GemmBench.measure(gemm, peakMn, peakK, peakMn, false, false, 3, 0.2);
            peak = Math.max(0.1, round(r.bestGflops(), 1));   // (never 0: share_of_peak divides by it)
            peakSource = "measured: yuefu " + gemm.name() + " sgemm " + peakMn + "x" + peakK + "x" + peakMn + ", "
                    + c.threads() + " thread(s), best of 3 rounds";
        }

        double med = median(times), tokStep = (double) b * t;
        double tps = tokStep / med;
        long fFwd = c.forwardFlopsPerToken();
        double achieved = tps * 3 * fFwd / 1e9;
        double sum = times.stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("label", c.label());
        o.put("cell", c.cell().id());
        o.put("layers", c.layers());
        o.put("embed", c.embed());
        o.put("hidden", c.hidden());
        o.put("vocab", c.vocab());
        o.put("batch", b);
        o.put("seq", t);
        o.put("threads", c.threads());
        o.put("params", model.params().data.length);
        o.put("data", desc[0]);
        o.put("warmup_steps", c.warmup());
        o.put("gen_warmup_tokens", c.genWarmup());
        o.put("timed_steps", c.steps());
        o.put("step_ms_median", round(med * 1e3, 2));
        o.put("step_ms_min", round(times.stream().mapToDouble(Double::doubleValue).min().orElse(0) * 1e3, 2));
        o.put("step_ms_max", round(times.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 1e3, 2));
        o.put("train_tokens_per_s", round(tps, 1));
        o.put("train_tokens_per_s_mean", round(tokStep * times.size() / sum, 1));
        o.put("fwd_mflop_per_token", round(fFwd / 1e6, 3));
        o.put("train_mflop_per_token", round(3 * fFwd / 1e6, 3));
        o.put("achieved_gflops", round(achieved, 2));
        o.put("peak_gflops", peak);
        o.put("share_of_peak", round(achieved / peak, 3));
        o.put("peak_source", peakSource);
        o.put("gen_tokens_per_s", round(c.genTokens() / median(List.of(gen[0], gen[1], gen[2])), 1));
        o.put("gen_runs_s", new double[] {round(gen[0], 3), round(gen[1], 3), round(gen[2], 3)});
        o.put("loss_first", round(lossFirst, 3));
        o.put("loss_last", round(lossLast, 3));
        o.put("rss_after_import_mb", round(rssStart, 1));
        o.put("peak_rss_train_mb", round(peakTrain, 1));
        o.put("peak_rss_mb", round(peakAll, 1));
        // Not in the peer's output: process CPU time per step (all threads; spinning included). On a loaded
        // machine wall time measures the load; with --threads 1 CPU time measures the engine.
        o.put("step_cpu_ms_median", round(median(cpuTimes) * 1e3, 2));
        o.put("train_tokens_per_cpu_s", round(tokStep / median(cpuTimes), 1));
        o.put("alloc_bytes_per_step", allocTimed / Math.max(1, c.steps()));
        o.put("engine", "yuefu " + model.engineName());
        o.put("java", Runtime.version().toString());
        return o;
    }

    /** Greedy: feed the previous argmax, n tokens, starting from id 1 with a zero state (as the peer). */
    private static void generate(LanguageModel model, float[] logits, int n) {
        RecurrentState s = model.newState(1);
        int[] tok = {1};
        for (int i = 0; i < n; i++) {
            model.step(tok, 1, s, logits);
            tok[0] = Math.max(0, ARGMAX.argmax(logits, 0, logits.length));   // (0 if every logit were NaN)
        }
    }

    /** The peer's data: poems.txt chars (top V-1 → 1..V-1, others 0) or a seeded Zipf(s=1) stream. */
    static int[] data(CharLmBenchConfig c, Path poems, String[] desc) throws IOException {
        int needed = Math.max(2_000_000, c.batch() * (c.seq() + 1) * 4);
        if (poems != null && Files.isRegularFile(poems)) {
            String text = Files.readString(poems, StandardCharsets.UTF_8);
            // Python iterates code points; Counter.most_common breaks ties by first occurrence.
            int[] cps = text.codePoints().toArray();
            text = null;
            int[] count = new int[Character.MAX_CODE_POINT + 1], first = new int[Character.MAX_CODE_POINT + 1];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < cps.length; i++) {
                if (count[cps[i]]++ == 0) {
                    first[cps[i]] = i;
                    order.add(cps[i]);
                }
            }
            order.sort((p, q) -> count[p] != count[q] ? Integer.compare(count[q], count[p]) : Integer.compare(first[p], first[q]));
            int kept = Math.min(c.vocab() - 1, order.size());
            int[] idx = first;   // reused: code point → id
            Arrays.fill(idx, 0);
            for (int i = 0; i < kept; i++) idx[order.get(i)] = i + 1;
            int[] ids = new int[cps.length];
            for (int i = 0; i < cps.length; i++) ids[i] = idx[cps[i]];
            if (ids.length > c.seq() + 2) {
                desc[0] = "poems.txt (" + ids.length + " chars, " + kept + " distinct kept)";
                return ids;
            }
        }
        SplittableRandom r = new SplittableRandom(c.seed());
        double[] cdf = new double[c.vocab()];
        double z = 0;
        for (int v = 0; v < c.vocab(); v++) cdf[v] = z += 1.0 / (v + 1);
        int[] ids = new int[needed];
        for (int i = 0; i < needed; i++) {
            int v = Arrays.binarySearch(cdf, r.nextDouble() * z);
            ids[i] = Math.min(c.vocab() - 1, v < 0 ? -v - 1 : v);
        }
        desc[0] = "synthetic Zipf s=1.0 (" + needed + " tokens)";
        return ids;
    }

    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double round(double x, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(x * f) / f;
    }

    /** A /proc/self/status field in MiB (VmRSS, VmHWM); 0 where /proc is absent. */
    static double status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
