package io.github.yuefu.optim;

import io.github.yuefu.config.ConfigException;
import java.util.Locale;

/**
 * The learning rate as a function of the step (and, for reduce-on-plateau, of the validation losses seen so far).
 * <ul>
 *   <li>constant: lr</li>
 *   <li>step decay: lr · γ^⌊step / stepSize⌋ (PyTorch {@code StepLR})</li>
 *   <li>cosine: lrMin + (lr − lrMin)·(1 + cos(π·min(step, total)/total))/2 (PyTorch {@code CosineAnnealingLR},
 *       one half period over the run)</li>
 *   <li>reduce-on-plateau: lr · scale, where scale is multiplied by γ after {@code patience} evaluations without
 *       an improvement of the best validation loss (PyTorch {@code ReduceLROnPlateau}, mode min, threshold 0)</li>
 * </ul>
 * Only reduce-on-plateau has state ({@link State}); it is saved in every checkpoint so a resume continues it.
 */
public final class LrSchedule {

    public enum Kind {
        CONSTANT, STEP, COSINE, PLATEAU;

        /** Accepts constant, step (or step-decay), cosine, plateau (or reduce-on-plateau). */
        public static Kind parse(String s) {
            String k = s.trim().toLowerCase(Locale.ROOT);
            return switch (k) {
                case "constant" -> CONSTANT;
                case "step", "step-decay", "stepdecay" -> STEP;
                case "cosine" -> COSINE;
                case "plateau", "reduce-on-plateau" -> PLATEAU;
                default -> throw new ConfigException("unknown --lr-schedule '" + s
                        + "': use constant, step, cosine or plateau");
            };
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Mutable part of a plateau schedule: current multiplier, best validation loss, evaluations since it. */
    public record State(double scale, double best, int bad) {
        public static final State INITIAL = new State(1.0, Double.POSITIVE_INFINITY, 0);
    }

    private final Kind kind;
    private final double lr;
    private final double gamma;
    private final long stepSize;
    private final long totalSteps;
    private final double minLr;
    private final int patience;
    private State state = State.INITIAL;

    /**
     * @param gamma      decay factor for step and plateau (e.g. 0.5)
     * @param stepSize   steps between decays for step decay
     * @param totalSteps length of the run for cosine
     * @param minLr      floor for cosine and plateau
     * @param patience   evaluations without improvement before a plateau cut
     */
    public LrSchedule(Kind kind, double lr, double gamma, long stepSize, long totalSteps, double minLr, int patience) {
        if (!(lr > 0) || !Double.isFinite(lr)) throw new ConfigException("--lr must be positive, got " + lr);
        if (!(gamma > 0 && gamma <= 1)) throw new ConfigException("--lr-decay must be in (0, 1], got " + gamma);
        if (kind == Kind.STEP && stepSize < 1) throw new ConfigException("--lr-step must be at least 1, got " + stepSize);
        if (!(minLr >= 0)) throw new ConfigException("--min-lr must be >= 0, got " + minLr);
        if (patience < 1) throw new ConfigException("--lr-patience must be at least 1, got " + patience);
        this.kind = kind;
        this.lr = lr;
        this.gamma = gamma;
        this.stepSize = stepSize;
        this.totalSteps = Math.max(1, totalSteps);
        this.minLr = minLr;
        this.patience = patience;
    }

    public static LrSchedule constant(double lr) {
        return new LrSchedule(Kind.CONSTANT, lr, 1, 1, 1, 0, 1);
    }

    public Kind kind() {
        return kind;
    }

    /** Learning rate for the update that makes step number {@code step} (0-based: the first update is step 0). */
    public double lr(long step) {
        return switch (kind) {
            case CONSTANT -> lr;
            case STEP -> lr * Math.pow(gamma, step / stepSize);
            case COSINE -> minLr + (lr - minLr) * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / totalSteps)) / 2;
            case PLATEAU -> Math.max(minLr, lr * state.scale);
        };
    }

    /** Tells the schedule a validation loss; only reduce-on-plateau reacts. Returns true when it cut the rate. */
    public boolean onValidation(double valLoss) {
        if (kind != Kind.PLATEAU || Double.isNaN(valLoss)) return false;
        if (valLoss < state.best) {
            state = new State(state.scale, valLoss, 0);
            return false;
        }
        int bad = state.bad + 1;
        if (bad > patience) {
            state = new State(state.scale * gamma, state.best, 0);
            return true;
        }
        state = new State(state.scale, state.best, bad);
        return false;
    }

    public State state() {
        return state;
    }

    public void restore(State s) {
        this.state = s;
    }
}
