package io.github.yuefu.tensor;

import java.util.SplittableRandom;

/** Parameter initialisers shared by every model built on a {@link ParamSet}. */
public final class Init {
    private Init() {}

    /**
     * PyTorch's defaults for a recurrent model of width H: every tensor U(−1/√H, 1/√H) (nn.RNN/LSTM/GRU's
     * reset_parameters; nn.Linear's kaiming-uniform(a=√5) gives the same bound with fan-in H), except
     * {@code embedding.weight} N(0, 1). Views are filled in declaration order from one seeded stream, so a seed fixes
     * every weight; gradients are zeroed.
     */
    public static void pytorchDefault(ParamSet params, int hidden, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(hidden);
        for (ParamSet.View v : params.views()) {
            boolean gaussian = v.name().equals("embedding.weight");
            for (int i = v.offset(), end = v.offset() + v.size(); i < end; i++) {
                params.data[i] = gaussian ? (float) rnd.nextGaussian() : (float) rnd.nextDouble(-bound, bound);
            }
        }
        params.zeroGrad();
    }
}
