package io.github.yuefu.optim;

import io.github.yuefu.tensor.ParamSet;
import java.util.Map;

/**
 * An update rule over the flat parameter buffer: {@code params.data -= f(params.grad, moments)}. Moments live in
 * flat buffers of the same length as the parameters, so saving them is saving a few {@code float[]}s.
 *
 * <p>Semantics follow PyTorch's {@code torch.optim} (weight decay as L2 added to the gradient, as in
 * {@code Adam(weight_decay=…)}, not AdamW), so runs and hyper-parameters carry over.
 */
public sealed interface Optimizer permits Sgd, Adam, RmsProp {

    /** One update with learning rate {@code lr}; reads {@code params.grad}, writes {@code params.data}. */
    void step(ParamSet params, double lr);

    /** Number of updates taken so far (Adam's bias correction needs it; saved in checkpoints). */
    long steps();

    /** Moment buffers by name ("exp_avg", "exp_avg_sq", "square_avg", "momentum_buffer"), each (P). Live views. */
    Map<String, float[]> moments();

    /** Restores moments (copied into the live buffers) and the step count from a checkpoint. */
    void restore(Map<String, float[]> moments, long steps);

    /** "adam", "rmsprop" or "sgd": stored in checkpoints so a resume checks it continues the same rule. */
    String kind();

    /** A fresh optimizer for {@code size} parameters. */
    static Optimizer create(OptimConfig c, int size) {
        return switch (c.kind()) {
            case ADAM -> new Adam(size, c.beta1(), c.beta2(), c.eps(), c.weightDecay());
            case RMSPROP -> new RmsProp(size, c.alpha(), c.eps(), c.weightDecay());
            case SGD -> new Sgd(size, c.momentum(), c.weightDecay());
        };
    }

    /** Shared restore logic: every named buffer must be present with the right length. */
    static void copyMoments(Map<String, float[]> live, Map<String, float[]> saved, String kind) {
        for (Map.Entry<String, float[]> e : live.entrySet()) {
            float[] src = saved.get(e.getKey());
            if (src == null) {
                throw new io.github.yuefu.config.ConfigException("checkpoint has no " + kind + " moment '" + e.getKey()
                        + "'; it was written by another optimizer: resume with the same --optimizer");
            }
            if (src.length != e.getValue().length) {
                throw new io.github.yuefu.config.ConfigException("checkpoint moment '" + e.getKey() + "' has " + src.length
                        + " values, the model has " + e.getValue().length + " parameters");
            }
            System.arraycopy(src, 0, e.getValue(), 0, src.length);
        }
    }
}
