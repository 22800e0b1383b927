package io.github.yuefu.model;

import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.tensor.ParamSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a {@link ReferenceCase} through the float32 engine (forward and backward) and compares every tensor with
 * PyTorch's float64 values. An element passes when |got − want| ≤ abs or ≤ rel·|want|.
 * Tolerances (README of the references): loss and log-probs 1e-5 relative or 1e-6 absolute; gradients and the
 * final state 1e-4 relative or 1e-6 absolute.
 */
public final class ReferenceCheck {
    public static final double LOSS_REL = 1e-5, GRAD_REL = 1e-4, ABS = 1e-6;

    private ReferenceCheck() {}

    /**
     * The comparison of one tensor. maxRel is the largest |got − want| / max(|want|, abs/rel): the relative error,
     * with the denominator floored where the absolute tolerance takes over, so that "maxRel ≤ relTol" is exactly
     * the pass criterion.
     */
    public record TensorResult(String name, int count, double maxAbs, double maxRel, double relTol, int failures) {
        public boolean pass() {
            return failures == 0;
        }

        public String line() {
            return String.format("%-28s n=%-5d max abs %.3e  max rel %.3e  (tol %.0e rel / %.0e abs)  %s",
                    name, count, maxAbs, maxRel, relTol, ABS, pass() ? "PASS" : "FAIL (" + failures + " over)");
        }
    }

    public record Result(ReferenceCase c, List<TensorResult> tensors) {
        public boolean pass() {
            return tensors.stream().allMatch(TensorResult::pass);
        }
    }

    /** Forward + backward on the case, compared tensor by tensor. */
    public static Result run(ReferenceCase c, Gemm gemm, Kernels k) {
        LanguageModel m = new LanguageModel(c.config(), gemm, k);
        ParamSet ps = m.params();
        for (Map.Entry<String, ReferenceCase.Tensor> e : c.params().entrySet()) {
            ParamSet.View v = ps.view(e.getKey());
            double[] d = e.getValue().data();
            for (int i = 0; i < d.length; i++) ps.data[v.offset() + i] = (float) d[i];
        }
        ps.zeroGrad();
        RecurrentState state = m.newState(c.batch());
        if (c.initialH() != null) copy(c.initialH().data(), state.h);
        if (c.initialC() != null) copy(c.initialC().data(), state.c);

        // Log-probabilities from an evaluation forward (a training forward leaves gradients in their place), on a
        // copy of the initial state; then the training forward and backward the gradients come from.
        RecurrentState evalState = m.newState(c.batch());
        evalState.copyFrom(state);
        double evalLoss = m.forward(c.inputs(), c.targets(), c.batch(), c.time(), c.pad(), evalState, false);
        List<TensorResult> out = new ArrayList<>();
        out.add(compare("log_probs", c.logProbs().data(), m.logProbs(), 0, LOSS_REL));
        out.add(compare("loss (evaluation)", new double[] {c.loss()}, new float[] {(float) evalLoss}, 0, LOSS_REL));
        double loss = m.forward(c.inputs(), c.targets(), c.batch(), c.time(), c.pad(), state, true);
        out.add(compare("loss", new double[] {c.loss()}, new float[] {(float) loss}, 0, LOSS_REL));
        for (Map.Entry<String, ReferenceCase.Tensor> e : c.finalState().entrySet()) {
            float[] got = e.getKey().equals("h") ? state.h : state.c;
            out.add(compare("final_state." + e.getKey(), e.getValue().data(), got, 0, GRAD_REL));
        }
        m.backward();
        for (Map.Entry<String, ReferenceCase.Tensor> e : c.grads().entrySet()) {
            out.add(compare("grad " + e.getKey(), e.getValue().data(), ps.grad, ps.view(e.getKey()).offset(), GRAD_REL));
        }
        return new Result(c, out);
    }

    private static void copy(double[] src, float[] dst) {
        for (int i = 0; i < src.length; i++) dst[i] = (float) src[i];
    }

    static TensorResult compare(String name, double[] want, float[] got, int off, double relTol) {
        double maxAbs = 0, maxRel = 0;
        int failures = 0;
        for (int i = 0; i < want.length; i++) {
            double g = got[off + i], diff = Math.abs(g - want[i]);
            if (!(diff == diff)) diff = Double.POSITIVE_INFINITY; // NaN counts as a failure
            maxAbs = Math.max(maxAbs, diff);
            double rel = diff / Math.max(Math.abs(want[i]), ABS / relTol);
            maxRel = Math.max(maxRel, rel);
            if (!(rel <= relTol)) failures++;
        }
        return new TensorResult(name, want.length, maxAbs, maxRel, relTol, failures);
    }
}
