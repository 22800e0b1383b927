package io.github.yuefu.optim;

import io.github.yuefu.config.ConfigException;
import java.util.Locale;

/**
 * Hyper-parameters of the update rule (PyTorch's defaults where the CLI does not expose them).
 *
 * @param momentum     SGD momentum (dampening 0, no Nesterov)
 * @param alpha        RMSprop smoothing constant
 * @param weightDecay  L2 penalty added to the gradient, PyTorch style
 */
public record OptimConfig(Kind kind, double beta1, double beta2, double eps, double alpha, double momentum,
                          double weightDecay) {

    public enum Kind {
        ADAM, RMSPROP, SGD;

        public static Kind parse(String s) {
            for (Kind k : values()) if (k.name().equalsIgnoreCase(s.trim())) return k;
            throw new ConfigException("unknown optimizer '" + s + "': use adam, rmsprop or sgd");
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public OptimConfig {
        if (kind == null) throw new ConfigException("--optimizer is required: adam, rmsprop or sgd");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new ConfigException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) throw new ConfigException("optimizer eps must be positive, got " + eps);
        if (!(alpha >= 0 && alpha < 1)) throw new ConfigException("RMSprop alpha must be in [0, 1), got " + alpha);
        if (!(momentum >= 0 && momentum < 1)) throw new ConfigException("--momentum must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new ConfigException("--weight-decay must be >= 0, got " + weightDecay);
    }

    /** PyTorch defaults for each rule: Adam (0.9, 0.999, 1e-8), RMSprop (alpha 0.99, eps 1e-8), SGD momentum 0.9. */
    public static OptimConfig defaults(Kind kind, double weightDecay) {
        return new OptimConfig(kind, 0.9, 0.999, 1e-8, 0.99, 0.9, weightDecay);
    }
}
