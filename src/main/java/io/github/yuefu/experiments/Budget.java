package io.github.yuefu.experiments;

import io.github.yuefu.config.ConfigException;
import java.util.Locale;

/**
 * The equal budget every run of a grid gets: a number of optimizer steps, of trained tokens, or of minutes.
 * Steps and tokens are exact. Minutes are turned into steps per variant from a short timed run of that variant
 * ({@link #steps(double, long)}), so each run is still a fixed, resumable number of steps; the tables report the
 * wall time each run really took.
 */
public record Budget(Kind kind, double amount) {

    public enum Kind { STEPS, TOKENS, MINUTES }

    public Budget {
        if (kind == null) throw new ConfigException("give one budget: --steps, --tokens or --minutes");
        if (!(amount > 0) || !Double.isFinite(amount)) {
            throw new ConfigException("--" + kind.name().toLowerCase(Locale.ROOT) + " must be positive, got " + amount);
        }
    }

    /** Exactly one of the three options (0 or null = not given). */
    public static Budget of(long steps, long tokens, double minutes) {
        int given = (steps > 0 ? 1 : 0) + (tokens > 0 ? 1 : 0) + (minutes > 0 ? 1 : 0);
        if (given != 1) {
            throw new ConfigException("give exactly one budget per run: --steps N, --tokens N or --minutes M (got " + given + ")");
        }
        if (steps > 0) return new Budget(Kind.STEPS, steps);
        if (tokens > 0) return new Budget(Kind.TOKENS, tokens);
        return new Budget(Kind.MINUTES, minutes);
    }

    /** True when the step count depends on how fast the variant trains. */
    public boolean timed() {
        return kind == Kind.MINUTES;
    }

    /**
     * Steps for one run: the steps given; tokens / tokens per step; or the minutes over the measured seconds per
     * step (at least 1 step either way).
     */
    public long steps(double secondsPerStep, long tokensPerStep) {
        double s = switch (kind) {
            case STEPS -> amount;
            case TOKENS -> amount / tokensPerStep;
            case MINUTES -> amount * 60 / secondsPerStep;
        };
        return Math.max(1, (long) Math.floor(s));
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STEPS -> String.format(Locale.ROOT, "%,d steps", (long) amount);
            case TOKENS -> String.format(Locale.ROOT, "%,d tokens", (long) amount);
            case MINUTES -> String.format(Locale.ROOT, "%s min", fmt(amount));
        } + " per run";
    }

    private static String fmt(double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }
}
