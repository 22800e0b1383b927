package io.github.yuefu.experiments;

import io.github.yuefu.optim.Adam;
import io.github.yuefu.optim.GradClip;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains an {@link Adder} on random sums and measures it on held-out ones: exact match (every digit of the sum
 * right), per-position digit and carry accuracy, and exact match on longer numbers than it was trained on.
 *
 * <p>Random streams, all derived from the seed: weights (seed), training pairs (seed + 1), the check batch used
 * for early stopping (seed + 2), the final test pairs (seed + 3, disjoint from training by the held-out rule; the
 * check and test batches are independent draws from the held-out set).
 */
public final class AddExperiment {
    private static final int LOG_EVERY = 100;
    private static final int CHECK_PAIRS = 1000;
    private static final int EVAL_CHUNK = 1000;

    private AddExperiment() {}

    /** Accuracy of one digit place of the sum (0 = units, T−1 = the final carry), split by carry-in. */
    public record PositionStats(int place, long count, double digitAccuracy, double carryShare,
                                double accuracyWithCarry, double accuracyWithoutCarry) {}

    /** Held-out exact match and digit accuracy for operands of exactly {@code digits} digits. */
    public record LengthPoint(int digits, double exactMatch, double digitAccuracy) {}

    /** Everything a run measured. */
    public record Result(AddConfig config, int parameters, int steps, double seconds, double finalLoss,
                         double exactMatch, List<PositionStats> positions, List<LengthPoint> curve) {}

    /** A trained adder and how its training went. */
    public record Trained(Adder adder, int steps, double seconds, double finalLoss) {}

    /** Trains, then evaluates: one row of the cell comparison. */
    public static Result run(AddConfig cfg, PrintWriter log) {
        Trained t = train(cfg, log);
        return evaluate(t, cfg);
    }

    /**
     * Adam on cross-entropy over every sum digit, cosine-decayed learning rate, global-norm clipping. Every
     * {@value #LOG_EVERY} steps: the mean training loss since the last line and the exact match on a held-out
     * check batch; stops early once that reaches {@code cfg.target()}.
     */
    public static Trained train(AddConfig cfg, PrintWriter log) {
        Adder adder = new Adder(cfg.cell(), cfg.embed(), cfg.hidden());
        adder.initialize(cfg.seed());
        var params = adder.params();
        Adam opt = new Adam(params.size(), 0.9, 0.999, 1e-8, 0);
        SplittableRandom data = new SplittableRandom(cfg.seed() + 1);
        AdditionProblems.Batch check = AdditionProblems.heldOut(new SplittableRandom(cfg.seed() + 2), cfg.digits(),
                CHECK_PAIRS, cfg.order());
        long t0 = System.nanoTime();
        double sinceLog = 0, lastLoss = Double.NaN;
        int step = 0, logged = 0;
        while (step < cfg.steps()) {
            AdditionProblems.Batch b = AdditionProblems.training(data, cfg.digits(), cfg.batch(), cfg.order());
            params.zeroGrad();
            double loss = adder.forward(b);
            if (!Double.isFinite(loss)) {
                throw new io.github.yuefu.config.ConfigException("the adder's loss became " + loss + " at step " + step
                        + "; try a lower --lr (was " + cfg.lr() + ") or a smaller --clip");
            }
            adder.backward();
            GradClip.clip(params.grad, cfg.clip());
            opt.step(params, cosine(cfg.lr(), step, cfg.steps()));
            step++;
            sinceLog += loss;
            logged++;
            if (step % LOG_EVERY == 0 || step == cfg.steps()) {
                lastLoss = sinceLog / logged;
                double exact = exactMatch(adder, check);
                log.printf(Locale.ROOT, "%s step %5d  loss %.4f  check exact %.2f%%  %.1fs%n", cfg.cell().id(), step,
                        lastLoss, 100 * exact, (System.nanoTime() - t0) * 1e-9);
                sinceLog = 0;
                logged = 0;
                if (cfg.target() > 0 && exact >= cfg.target()) {
                    log.printf(Locale.ROOT, "%s reached --target %.2f%% at step %d%n", cfg.cell().id(), 100 * cfg.target(), step);
                    break;
                }
            }
        }
        return new Trained(adder, step, (System.nanoTime() - t0) * 1e-9, lastLoss);
    }

    /** lr · (1/20 + 19/20 · (1 + cos(π·step/total))/2): a late, slow decay that settles the last digits. */
    static double cosine(double lr, int step, int total) {
        double c = (1 + Math.cos(Math.PI * step / total)) / 2;
        return lr * (0.05 + 0.95 * c);
    }

    /** Held-out measurements of a trained adder: exact match, per-place stats, the length-generalisation curve. */
    public static Result evaluate(Trained t, AddConfig cfg) {
        Adder adder = t.adder();
        SplittableRandom rnd = new SplittableRandom(cfg.seed() + 3);
        int t1 = cfg.digits() + 1;
        long exact = 0, n = 0;
        long[] count = new long[t1], right = new long[t1], carried = new long[t1], rightCarried = new long[t1];
        for (int done = 0; done < cfg.testPairs(); done += EVAL_CHUNK) {
            int size = Math.min(EVAL_CHUNK, cfg.testPairs() - done);
            AdditionProblems.Batch p = AdditionProblems.heldOut(rnd, cfg.digits(), size, cfg.order());
            adder.forward(p);
            int[] pred = adder.predictions();
            boolean[] carryIn = AdditionProblems.carriesIn(p, cfg.order());
            for (int r = 0; r < size; r++) {
                boolean all = true;
                for (int place = 0; place < t1; place++) {
                    int q = r * t1 + (cfg.order() == DigitOrder.LSB ? place : t1 - 1 - place);
                    boolean ok = pred[q] == p.sum()[q];
                    all &= ok;
                    count[place]++;
                    if (ok) right[place]++;
                    if (carryIn[r * t1 + place]) {
                        carried[place]++;
                        if (ok) rightCarried[place]++;
                    }
                }
                if (all) exact++;
                n++;
            }
        }
        List<PositionStats> places = new ArrayList<>();
        for (int place = 0; place < t1; place++) {
            long noCarry = count[place] - carried[place];
            places.add(new PositionStats(place, count[place], ratio(right[place], count[place]),
                    ratio(carried[place], count[place]), ratio(rightCarried[place], carried[place]),
                    ratio(right[place] - rightCarried[place], noCarry)));
        }
        List<LengthPoint> curve = new ArrayList<>();
        for (int d = cfg.digits(); d <= cfg.digits() + cfg.extraDigits(); d++) curve.add(lengthPoint(adder, cfg, d, rnd));
        return new Result(cfg, adder.params().size(), t.steps(), t.seconds(), t.finalLoss(), ratio(exact, n), places, curve);
    }

    private static LengthPoint lengthPoint(Adder adder, AddConfig cfg, int digits, SplittableRandom rnd) {
        long exact = 0, digitsRight = 0, digitsAll = 0;
        for (int done = 0; done < cfg.testPairs(); done += EVAL_CHUNK) {
            int size = Math.min(EVAL_CHUNK, cfg.testPairs() - done);
            AdditionProblems.Batch p = AdditionProblems.heldOutExact(rnd, digits, size, cfg.order());
            adder.forward(p);
            int[] pred = adder.predictions();
            int t = p.positions();
            for (int r = 0; r < size; r++) {
                int ok = 0;
                for (int i = r * t; i < r * t + t; i++) if (pred[i] == p.sum()[i]) ok++;
                digitsRight += ok;
                digitsAll += t;
                if (ok == t) exact++;
            }
        }
        return new LengthPoint(digits, ratio(exact, cfg.testPairs()), ratio(digitsRight, digitsAll));
    }

    /** Share of the batch whose every sum digit the adder gets right. */
    static double exactMatch(Adder adder, AdditionProblems.Batch p) {
        adder.forward(p);
        int[] pred = adder.predictions();
        int t = p.positions(), exact = 0;
        for (int r = 0; r < p.batch(); r++) {
            boolean all = true;
            for (int i = r * t; i < r * t + t && all; i++) all = pred[i] == p.sum()[i];
            if (all) exact++;
        }
        return (double) exact / p.batch();
    }

    /** The adder's answer to one problem ("12345+678" → "13023"). */
    public static String answer(Adder adder, String expr, DigitOrder order) {
        AdditionProblems.Batch p = AdditionProblems.parse(expr, order);
        adder.forward(p);
        return AdditionProblems.toNumber(adder.predictions(), 0, p.positions(), order);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
