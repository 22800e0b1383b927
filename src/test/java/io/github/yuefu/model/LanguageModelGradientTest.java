package io.github.yuefu.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.ScalarGemm;
import io.github.yuefu.nn.Float64Reference;
import io.github.yuefu.tensor.ParamSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole-model gradient checks, dropout off: RNN, LSTM, GRU × 1 and 2 layers × embedding and one-hot × zero and
 * given initial state, with padded (ignored) targets.
 * <ol>
 *   <li>float64: the engine's float32 analytic gradients (every parameter, h0, c0) against central differences of
 *       the independent {@link Float64Reference}, and the losses against each other;</li>
 *   <li>float32: central differences of the engine itself (ε = 1e-2) against its own backward, loosely — a
 *       sanity check that needs no second implementation.</li>
 * </ol>
 */
class LanguageModelGradientTest {
    static final int B = 3, T = 4, V = 7, E = 4, H = 5, PAD = 0;
    static final double ABS = 2e-6, REL = 1e-4;

    record Setup(LanguageModel model, int[] ids, int[] targets, RecurrentState state) {}

    static Setup setup(CellType cell, int layers, InputKind input, boolean given, String kernels, long seed) {
        ModelConfig cfg = new ModelConfig(cell, layers, V, input, E, H, 0f);
        LanguageModel m = new LanguageModel(cfg, new ScalarGemm(), Kernels.forName(kernels));
        SplittableRandom r = new SplittableRandom(seed);
        ParamSet ps = m.params();
        for (int i = 0; i < ps.size(); i++) ps.data[i] = (float) r.nextDouble(-0.7, 0.7);
        int[] lengths = {T, T - 1, 2};
        int[] ids = new int[B * T], targets = new int[B * T];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                boolean real = t < lengths[b];
                ids[b * T + t] = real ? 1 + r.nextInt(V - 1) : PAD;
                targets[b * T + t] = real ? 1 + r.nextInt(V - 1) : PAD;
            }
        }
        RecurrentState s = null;
        if (given) {
            s = m.newState(B);
            for (int i = 0; i < s.h.length; i++) s.h[i] = (float) r.nextDouble(-0.9, 0.9);
            if (s.c != null) for (int i = 0; i < s.c.length; i++) s.c[i] = (float) r.nextDouble(-0.9, 0.9);
        }
        return new Setup(m, ids, targets, s);
    }

    static Stream<Object[]> grid() {
        List<Object[]> g = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            for (int layers = 1; layers <= 2; layers++) {
                for (InputKind input : InputKind.values()) {
                    for (boolean given : new boolean[] {false, true}) g.add(new Object[] {cell, layers, input, given});
                }
            }
        }
        return g.stream();
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    @TestFactory
    Stream<DynamicTest> engineGradientsMatchFloat64Reference() {
        return grid().map(a -> DynamicTest.dynamicTest(a[0] + " " + a[1] + " layer(s) " + a[2] + " given=" + a[3], () -> {
            CellType cell = (CellType) a[0];
            int layers = (Integer) a[1];
            InputKind input = (InputKind) a[2];
            boolean given = (Boolean) a[3];
            Setup s = setup(cell, layers, input, given, (layers + cell.ordinal()) % 2 == 0 ? "scalar" : "vector-64", 11);
            LanguageModel m = s.model;
            ParamSet ps = m.params();
            // The float64 reference sees exactly the float32 values the engine uses.
            Map<String, double[]> p = new LinkedHashMap<>();
            for (ParamSet.View v : ps.views()) {
                double[] d = new double[v.size()];
                for (int i = 0; i < d.length; i++) d[i] = ps.data[v.offset() + i];
                p.put(v.name(), d);
            }
            double[] h0 = given ? toDouble(s.state.h) : null;
            double[] c0 = given && s.state.c != null ? toDouble(s.state.c) : null;
            ModelConfig cfg = m.config();
            java.util.function.DoubleSupplier ref = () -> Float64Reference.loss(cfg, p, s.ids, s.targets, B, T, PAD, h0, c0);

            ps.zeroGrad();
            double loss = m.forward(s.ids, s.targets, B, T, PAD, s.state, true);
            m.backward();
            RecurrentState dState = m.initialStateGradient();

            StringBuilder report = new StringBuilder(String.format("%s %d layer(s) %s given=%s: loss %.8f ref %.8f%n",
                    cell, layers, input, given, loss, ref.getAsDouble()));
            boolean ok = Math.abs(loss - ref.getAsDouble()) <= 1e-6 * Math.abs(ref.getAsDouble());
            for (ParamSet.View v : ps.views()) {
                double[] fd = Float64Reference.numericGradient(p.get(v.name()), 1e-6, x -> ref.getAsDouble());
                ok &= check(report, v.name(), fd, ps.grad, v.offset());
            }
            if (given) {
                ok &= check(report, "h0", Float64Reference.numericGradient(h0, 1e-6, x -> ref.getAsDouble()), dState.h, 0);
                if (c0 != null) ok &= check(report, "c0", Float64Reference.numericGradient(c0, 1e-6, x -> ref.getAsDouble()), dState.c, 0);
            }
            System.out.print(report);
            assertTrue(ok, report::toString);
        }));
    }

    static boolean check(StringBuilder report, String name, double[] want, float[] got, int off) {
        double maxAbs = 0;
        boolean ok = true;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[off + i] - want[i]);
            maxAbs = Math.max(maxAbs, d);
            if (!(d <= ABS || d <= REL * Math.abs(want[i]))) ok = false;
        }
        report.append(String.format("  %-20s n=%-4d max abs diff %.2e %s%n", name, want.length, maxAbs, ok ? "ok" : "FAIL"));
        return ok;
    }

    @TestFactory
    Stream<DynamicTest> float32FiniteDifferencesAgreeLoosely() {
        return Stream.of(CellType.values()).map(cell -> DynamicTest.dynamicTest(cell.id(), () -> {
            Setup s = setup(cell, 2, InputKind.EMBEDDING, true, "vector", 5);
            LanguageModel m = s.model;
            ParamSet ps = m.params();
            RecurrentState init = m.newState(B);
            init.copyFrom(s.state);
            RecurrentState work = m.newState(B);
            ps.zeroGrad();
            work.copyFrom(init);
            m.forward(s.ids, s.targets, B, T, PAD, work, true);
            m.backward();
            float eps = 1e-2f;
            double worst = 0;
            for (int i = 0; i < ps.size(); i += 3) { // every third parameter keeps it quick
                float keep = ps.data[i];
                ps.data[i] = keep + eps;
                work.copyFrom(init);
                double up = m.forward(s.ids, s.targets, B, T, PAD, work, false);
                ps.data[i] = keep - eps;
                work.copyFrom(init);
                double down = m.forward(s.ids, s.targets, B, T, PAD, work, false);
                ps.data[i] = keep;
                double fd = (up - down) / (2 * eps), g = ps.grad[i];
                double err = Math.abs(fd - g) / Math.max(1e-2, Math.abs(fd) + Math.abs(g));
                worst = Math.max(worst, err);
            }
            System.out.printf("float32 finite differences, %s: worst relative error %.2e%n", cell, worst);
            assertTrue(worst < 2e-2, "worst " + worst);
        }));
    }

    @TestFactory
    Stream<DynamicTest> float64ReferenceMatchesPyTorch() throws Exception {
        return GoldenReferenceTest.cases().stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            ReferenceCase c = ReferenceCase.load(f);
            Map<String, double[]> p = new LinkedHashMap<>();
            c.params().forEach((k, v) -> p.put(k, v.data()));
            double loss = Float64Reference.loss(c.config(), p, c.inputs(), c.targets(), c.batch(), c.time(), c.pad(),
                    c.initialH() == null ? null : c.initialH().data(), c.initialC() == null ? null : c.initialC().data());
            assertEquals(c.loss(), loss, 1e-10 * Math.abs(c.loss()), "reference loss vs PyTorch");
        }));
    }
}
