package io.github.yuefu.model;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.Parallel;
import java.util.SplittableRandom;

/**
 * A developer's stopwatch, not a benchmark suite: times forward + backward of one training step and one
 * generation step. Default is config A (LSTM, 2 layers, E 128, H 256, V 6000, B 64, T 64).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/yuefu.jar io.github.yuefu.model.TrainStepTiming \
 *      [cell layers embed hidden vocab batch seq [gemm [kernels [threads [steps]]]]]
 * </pre>
 * embed 0 means one-hot input. gemm "none" skips every matrix product (it times everything else: gates, gathers, softmax, copies).
 */
public final class TrainStepTiming {
    private TrainStepTiming() {}

    /** A GEMM that does nothing: isolates the cost of the rest of the engine. */
    static final class NoGemm implements Gemm {
        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {}

        @Override
        public void gemvRows(int rows, int k, float alpha, float[] w, int wOff, int ldw, float[] x, int xOff,
                             float beta, float[] y, int yOff) {}

        @Override
        public String name() {
            return "none";
        }
    }

    /**
     * Wraps a GEMM and adds up wall time per call shape (and per packed/plain form), to see where a step goes:
     * the rest of the step is everything that is not a matrix product. Products of a few microseconds on 2+
     * threads read far too slow here (the recurrent step of config D: ~110 µs per call in the profile, ~6 µs in
     * isolation, and the unprofiled step scales 2× from 1 to 2 threads): trust the big shapes and the step totals.
     */
    static final class ProfilingGemm implements Gemm {
        final Gemm inner;
        /** A call's form (NN, NT, TN, TT; NP, TP with a packed B; packN, packT) and sizes; cheap to build per call. */
        record Shape(String form, int m, int n, int k) {
            @Override
            public String toString() {
                return form.startsWith("pack") ? form + " k=" + k + " n=" + n : form + " m=" + m + " n=" + n + " k=" + k;
            }
        }

        final java.util.Map<Shape, long[]> byShape = new java.util.HashMap<>(); // shape → {nanos, calls, macs}

        ProfilingGemm(Gemm inner) {
            this.inner = inner;
        }

        private void add(Shape key, long nanos, long macs) {
            long[] a = byShape.computeIfAbsent(key, x -> new long[3]);
            a[0] += nanos;
            a[1]++;
            a[2] += macs;
        }

        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                          float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            long t0 = System.nanoTime();
            inner.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            add(new Shape(transA ? (transB ? "TT" : "TN") : (transB ? "NT" : "NN"), m, n, k), System.nanoTime() - t0, (long) m * n * k);
        }

        @Override
        public PackedB pack(boolean transB, int k, int n, float[] b, int bOff, int ldb, PackedB reuse) {
            long t0 = System.nanoTime();
            PackedB p = inner.pack(transB, k, n, b, bOff, ldb, reuse);
            add(new Shape(transB ? "packT" : "packN", 0, n, k), System.nanoTime() - t0, 0);
            return p;
        }

        @Override
        public void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda, PackedB b,
                          float beta, float[] c, int cOff, int ldc) {
            long t0 = System.nanoTime();
            inner.sgemm(transA, m, n, k, alpha, a, aOff, lda, b, beta, c, cOff, ldc);
            add(new Shape(transA ? "TP" : "NP", m, n, k), System.nanoTime() - t0, (long) m * n * k);
        }

        /** Not profiled: the split generation step calls this from several threads at once (the map is not shared-safe). */
        @Override
        public void gemvRows(int rows, int k, float alpha, float[] w, int wOff, int ldw, float[] x, int xOff,
                             float beta, float[] y, int yOff) {
            inner.gemvRows(rows, k, alpha, w, wOff, ldw, x, xOff, beta, y, yOff);
        }

        @Override
        public String name() {
            return inner.name() + "+profile";
        }

        void reset() {
            byShape.clear();
        }

        void print(int steps, double stepMs) {
            double total = 0;
            for (long[] a : byShape.values()) total += a[0];
            System.out.printf("GEMM per step %.1f ms of %.1f ms (%.0f%%):%n", total / 1e6 / steps, stepMs, 100 * total / 1e6 / steps / stepMs);
            byShape.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).forEach(e -> {
                long[] a = e.getValue();
                System.out.printf("  %-28s %8.2f ms/step %5d calls/step %7.1f GFLOP/s%n", e.getKey(), a[0] / 1e6 / steps,
                        a[1] / steps, a[2] == 0 ? 0 : 2.0 * a[2] / a[0]);
            });
        }
    }

    public static void main(String[] args) {
        String[] d = {"lstm", "2", "128", "256", "6000", "64", "64", "best", "vector",
                String.valueOf(Runtime.getRuntime().availableProcessors()), "5"};
        System.arraycopy(args, 0, d, 0, Math.min(args.length, d.length));
        CellType cell = CellType.parse(d[0]);
        int layers = Integer.parseInt(d[1]), embed = Integer.parseInt(d[2]), hidden = Integer.parseInt(d[3]);
        int vocab = Integer.parseInt(d[4]), batch = Integer.parseInt(d[5]), seq = Integer.parseInt(d[6]);
        boolean profile = d[7].endsWith("+profile");
        Gemm gemm = d[7].equals("none") ? new NoGemm() : Gemms.forName(profile ? d[7].substring(0, d[7].length() - 8) : d[7]);
        if (profile) gemm = new ProfilingGemm(gemm);
        Kernels k = Kernels.forName(d[8]);
        Parallel.setThreads(Integer.parseInt(d[9]));
        int steps = Integer.parseInt(d[10]);

        ModelConfig cfg = new ModelConfig(cell, layers, vocab,
                embed == 0 ? InputKind.ONEHOT : InputKind.EMBEDDING, embed, hidden, 0.2f);
        LanguageModel m = new LanguageModel(cfg, gemm, k);
        m.initialize(1);
        SplittableRandom r = new SplittableRandom(2);
        int[] x = new int[batch * seq], y = new int[batch * seq];
        for (int i = 0; i < x.length; i++) {
            x[i] = 4 + r.nextInt(vocab - 4);
            y[i] = 4 + r.nextInt(vocab - 4);
        }
        RecurrentState s = m.newState(batch);
        System.out.printf("%s, %d layers, E %d, H %d, V %d, B %d, T %d; gemm %s, kernels %s, threads %d; %s%n",
                cell.id(), layers, embed, hidden, vocab, batch, seq, gemm.name(), k.name(), Parallel.threads(),
                Runtime.version());
        // CPU time of this thread as well as wall time: on a shared machine wall time is noisy; with --threads 1
        // all work runs on this thread, so its CPU time is the honest figure.
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double timedMs = 0;
        for (int i = 0; i < steps + 2; i++) {
            if (i == 2 && gemm instanceof ProfilingGemm pg) pg.reset();
            long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
            m.forward(x, y, batch, seq, 0, s, true);
            long t1 = System.nanoTime(), c1 = mx.getCurrentThreadCpuTime();
            m.backward();
            long t2 = System.nanoTime(), c2 = mx.getCurrentThreadCpuTime();
            System.out.printf("step %d: forward %.1f ms, backward %.1f ms, total %.1f ms (%.0f tokens/s); "
                            + "this thread's CPU: forward %.1f ms, backward %.1f ms%s%n", i,
                    (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t2 - t0) / 1e6, batch * seq / ((t2 - t0) / 1e9),
                    (c1 - c0) / 1e6, (c2 - c1) / 1e6, i < 2 ? " warm-up" : "");
            if (i >= 2) timedMs += (t2 - t0) / 1e6;
        }
        if (gemm instanceof ProfilingGemm pg) pg.print(steps, timedMs / steps);
        RecurrentState g = m.newState(1);
        float[] logits = new float[vocab];
        int[] tok = {5};
        for (int i = 0; i < 200; i++) m.step(tok, 1, g, logits);
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) m.step(tok, 1, g, logits);
        System.out.printf("generation step (B = 1): %.3f ms%n", (System.nanoTime() - t0) / 1e6 / 1000);
    }
}
