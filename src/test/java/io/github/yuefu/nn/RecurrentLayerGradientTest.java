package io.github.yuefu.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.CellType;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.ScalarGemm;
import io.github.yuefu.tensor.ParamSet;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Gradient check of each recurrent layer on its own: the loss is a fixed random linear functional of the
 * outputs, L = Σ_t,b,j w ⊙ h_t. The engine's float32 backward (BPTT, input side, initial state) is compared
 * with central differences in float64 of {@link Float64Reference#layer}, for inputs, W_ih, W_hh, b_ih, b_hh,
 * h0 and c0. H = 5 with 2-lane vectors runs the vector bodies and the scalar tails of the kernels.
 */
class RecurrentLayerGradientTest {
    static final int B = 2, T = 4, I = 3, H = 5;
    static final double ABS = 1e-6, REL = 1e-4;

    @ParameterizedTest(name = "{0} given state {1} kernels {2}")
    @CsvSource({"RNN,false,scalar", "RNN,true,vector-64", "LSTM,false,vector-64", "LSTM,true,scalar",
            "LSTM,true,vector-64", "GRU,false,scalar", "GRU,true,vector-64", "GRU,true,scalar"})
    void analyticGradientsMatchFloat64FiniteDifferences(CellType cell, boolean givenState, String kernels) {
        SplittableRandom rnd = new SplittableRandom(cell.ordinal() * 7 + (givenState ? 1 : 0));
        ParamSet.Builder builder = ParamSet.builder();
        RecurrentLayer.declare(builder, cell, 0, I, H);
        ParamSet ps = builder.build();
        for (int i = 0; i < ps.size(); i++) ps.data[i] = (float) rnd.nextDouble(-0.6, 0.6);
        float[] x = randomFloats(rnd, T * B * I, 1.0);
        float[] h0 = givenState ? randomFloats(rnd, B * H, 0.8) : null;
        float[] c0 = givenState && cell == CellType.LSTM ? randomFloats(rnd, B * H, 0.8) : null;
        float[] wOut = randomFloats(rnd, T * B * H, 1.0);

        // Engine, float32.
        RecurrentLayer layer = RecurrentLayer.create(cell, ps, 0, I, H, new ScalarGemm(), Kernels.forName(kernels));
        layer.resize(B, T);
        layer.projectInput(x, 0);
        layer.forward(h0, 0, c0, 0);
        layer.backward(wOut, 0);
        float[] dx = new float[T * B * I];
        layer.backwardInput(x, 0, dx);
        float[] dh0 = new float[B * H], dc0 = new float[B * H];
        layer.initialStateGrad(dh0, 0, dc0, 0);

        // Reference, float64, from the same (float-rounded) values.
        double[] wih = slice(ps, "rnn.weight_ih_l0"), whh = slice(ps, "rnn.weight_hh_l0");
        double[] bih = slice(ps, "rnn.bias_ih_l0"), bhh = slice(ps, "rnn.bias_hh_l0");
        double[] xd = toDouble(x), h0d = h0 == null ? null : toDouble(h0), c0d = c0 == null ? null : toDouble(c0);
        double[] wd = toDouble(wOut);
        java.util.function.Supplier<Double> loss = () -> dot(wd,
                Float64Reference.layer(cell, B, T, I, H, wih, whh, bih, bhh, xd, h0d, c0d)[0]);

        double[] out = Float64Reference.layer(cell, B, T, I, H, wih, whh, bih, bhh, xd, h0d, c0d)[0];
        float[] hs = layer.outputs();
        StringBuilder report = new StringBuilder(cell + " given=" + givenState + " " + kernels + "\n");
        boolean ok = check(report, "outputs", out, hs, layer.outputOffset());
        double eps = 1e-6;
        ok &= check(report, "d x", Float64Reference.numericGradient(xd, eps, a -> loss.get()), dx, 0);
        ok &= check(report, "d W_ih", Float64Reference.numericGradient(wih, eps, a -> loss.get()), ps.grad, off(ps, "rnn.weight_ih_l0"));
        ok &= check(report, "d W_hh", Float64Reference.numericGradient(whh, eps, a -> loss.get()), ps.grad, off(ps, "rnn.weight_hh_l0"));
        ok &= check(report, "d b_ih", Float64Reference.numericGradient(bih, eps, a -> loss.get()), ps.grad, off(ps, "rnn.bias_ih_l0"));
        ok &= check(report, "d b_hh", Float64Reference.numericGradient(bhh, eps, a -> loss.get()), ps.grad, off(ps, "rnn.bias_hh_l0"));
        if (h0d != null) ok &= check(report, "d h0", Float64Reference.numericGradient(h0d, eps, a -> loss.get()), dh0, 0);
        if (c0d != null) ok &= check(report, "d c0", Float64Reference.numericGradient(c0d, eps, a -> loss.get()), dc0, 0);
        System.out.print(report);
        assertTrue(ok, report::toString);
    }

    /** Compares, appends "name max abs …" to the report; true when every element is within tolerance. */
    static boolean check(StringBuilder report, String name, double[] want, float[] got, int off) {
        double maxAbs = 0;
        boolean ok = true;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[off + i] - want[i]);
            maxAbs = Math.max(maxAbs, d);
            if (!(d <= ABS || d <= REL * Math.abs(want[i]))) ok = false;
        }
        report.append(String.format("  %-8s n=%-4d max abs diff %.2e %s%n", name, want.length, maxAbs, ok ? "ok" : "FAIL"));
        return ok;
    }

    static float[] randomFloats(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-scale, scale);
        return a;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    static double[] slice(ParamSet ps, String name) {
        ParamSet.View v = ps.view(name);
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) d[i] = ps.data[v.offset() + i];
        return d;
    }

    static int off(ParamSet ps, String name) {
        return ps.view(name).offset();
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
