package io.github.yuefu.kernel;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.model.RecurrentState;
import java.util.SplittableRandom;

/**
 * The program {@link TierDeterminismTest} runs in child JVMs under different JIT settings: a few seeded SGD steps
 * (forward, backward, update) of tiny LSTM and GRU models with the default (Vector API) engine, then a few
 * generation steps at batch 1 (the small-M GEMM path), printing the bits of every loss and the final logits and
 * parameters. Identical output under -Xint and -Xcomp means the results do not depend on the JIT tier.
 *
 * <p>Sizes: H 24 = one 16-lane vector + an 8-element tail (and 3 × 8 at 256 bits, …); V 20 ≥ 16 so the output
 * products skip the tiny-product loop; small enough that the interpreter runs it in a few seconds.
 */
public final class TierProbe {
    private TierProbe() {}

    /** args[0]: how many times to repeat the whole computation (later repeats run compiled code). */
    public static void main(String[] args) {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        java.util.Set<String> distinct = new java.util.LinkedHashSet<>();
        String last = null;
        for (int i = 0; i < repeats; i++) {
            StringBuilder out = new StringBuilder();
            run(out, CellType.LSTM, 2, 0.1f);
            run(out, CellType.GRU, 1, 0f);
            last = out.toString();
            distinct.add(last);
        }
        System.out.print(VectorKernels.preferred().name() + "\n" + last);
        System.out.println("distinct results over " + repeats + " repeats: " + distinct.size());
    }

    static void run(StringBuilder out, CellType cell, int layers, float dropout) {
        int vocab = 20, batch = 2, time = 4;
        LanguageModel m = new LanguageModel(new ModelConfig(cell, layers, vocab, InputKind.EMBEDDING, 8, 24, dropout),
                Gemms.best(), Kernels.best());
        m.initialize(7);
        SplittableRandom r = new SplittableRandom(11);
        int[] x = new int[batch * time], y = new int[batch * time];
        for (int i = 0; i < x.length; i++) {
            x[i] = 4 + r.nextInt(vocab - 4);
            y[i] = 4 + r.nextInt(vocab - 4);
        }
        float[] w = m.params().data, g = m.params().grad;
        out.append(cell).append(" losses");
        for (int step = 0; step < 2; step++) {
            java.util.Arrays.fill(g, 0f);
            double loss = m.forward(x, y, batch, time, 0, null, true);
            m.backward();
            for (int i = 0; i < w.length; i++) w[i] -= 0.5f * g[i];
            out.append(' ').append(Long.toHexString(Double.doubleToRawLongBits(loss)));
        }
        RecurrentState s = m.newState(1);
        float[] logits = new float[vocab];
        for (int t : new int[] {2, 9, 17}) m.step(new int[] {t}, 1, s, logits);
        out.append("\n").append(cell).append(" logits ").append(bits(logits));
        out.append("\n").append(cell).append(" params ").append(bits(w)).append('\n');
    }

    /** A digest of the exact bits (a per-element dump would be long; any bit flip changes it). */
    static String bits(float[] a) {
        long h = 1125899906842597L;
        for (float v : a) h = 31 * h + Float.floatToRawIntBits(v);
        return Long.toHexString(h) + " first " + Integer.toHexString(Float.floatToRawIntBits(a[0]));
    }
}
