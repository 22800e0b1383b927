package io.github.yuefu.experiments;

import io.github.yuefu.config.ConfigException;
import java.util.SplittableRandom;

/**
 * Addition problems for the learn-to-carry task: random pairs of non-negative integers as digit arrays, their
 * sums, a fixed train / held-out partition, and the (B, T) layout the {@link Adder} reads.
 *
 * <pre>
 * Legend: B batch, T positions = digits + 1 (the extra position holds the final carry of the sum).
 * A number is kept least significant digit first, zero-padded to T:  678 with T = 6 → [8 7 6 0 0 0].
 * Layout: a, b, sum (B, T) row-major (b·T + p); position p reads digit p (LSB order) or digit T−1−p (MSB order).
 * </pre>
 *
 * Held out: a pair belongs to the held-out set when a hash of its digits falls in one eighth of the range. The
 * training sampler rejects those pairs, so every held-out figure is measured on sums the model never saw — a
 * rule, not a stored list, so it holds at any number length and costs nothing.
 */
public final class AdditionProblems {
    /** Digits 0–9 are the whole vocabulary, inputs and outputs alike. */
    public static final int DIGITS = 10;

    private AdditionProblems() {}

    /** B problems in the adder's layout: a, b, sum are (B, T) row-major in reading order. */
    public record Batch(int batch, int positions, int[] a, int[] b, int[] sum) {}

    /**
     * B training pairs: each operand has 1..maxDigits digits (the length drawn uniformly, then the digits), so
     * short numbers are as common as long ones; held-out pairs are rejected.
     */
    public static Batch training(SplittableRandom rnd, int maxDigits, int batch, DigitOrder order) {
        return sample(rnd, maxDigits, batch, order, false, false);
    }

    /** B held-out pairs drawn like {@link #training}: operands of 1..maxDigits digits. */
    public static Batch heldOut(SplittableRandom rnd, int maxDigits, int batch, DigitOrder order) {
        return sample(rnd, maxDigits, batch, order, true, false);
    }

    /** B held-out pairs whose operands have exactly {@code digits} digits each (the length-generalisation probe). */
    public static Batch heldOutExact(SplittableRandom rnd, int digits, int batch, DigitOrder order) {
        return sample(rnd, digits, batch, order, true, true);
    }

    private static Batch sample(SplittableRandom rnd, int digits, int batch, DigitOrder order, boolean wantHeldOut,
                                boolean exact) {
        if (digits < 1) throw new ConfigException("--digits must be at least 1, got " + digits);
        int t = digits + 1;
        Batch out = new Batch(batch, t, new int[batch * t], new int[batch * t], new int[batch * t]);
        int[] x = new int[t], y = new int[t]; // (T) operands, LSB first
        for (int r = 0; r < batch; r++) {
            do {
                number(rnd, exact ? digits : 1 + rnd.nextInt(digits), x);
                number(rnd, exact ? digits : 1 + rnd.nextInt(digits), y);
            } while (isHeldOut(x, y) != wantHeldOut);
            put(out, r, x, y, order);
        }
        return out;
    }

    /** Fills x (LSB first, zero-padded) with a random number of exactly {@code digits} digits. */
    static void number(SplittableRandom rnd, int digits, int[] x) {
        java.util.Arrays.fill(x, 0);
        for (int i = 0; i < digits; i++) x[i] = rnd.nextInt(DIGITS);
        if (digits > 1 && x[digits - 1] == 0) x[digits - 1] = 1 + rnd.nextInt(DIGITS - 1);
    }

    /** Row r of the batch from two LSB-first operands: their digits and the digits of their sum, in reading order. */
    static void put(Batch out, int r, int[] x, int[] y, DigitOrder order) {
        int t = out.positions();
        int carry = 0;
        for (int i = 0; i < t; i++) {
            int s = x[i] + y[i] + carry;
            carry = s / DIGITS;
            int p = r * t + (order == DigitOrder.LSB ? i : t - 1 - i);
            out.a()[p] = x[i];
            out.b()[p] = y[i];
            out.sum()[p] = s % DIGITS;
        }
    }

    /**
     * The held-out rule: FNV-1a over the significant digits of both operands (trailing padding zeros excluded, so
     * the same pair is held out at every T), one pair in eight.
     */
    static boolean isHeldOut(int[] x, int[] y) {
        long h = 0xcbf29ce484222325L;
        h = hashDigits(h, x);
        h = (h ^ 0x2b) * 0x100000001b3L; // the '+' between the operands
        h = hashDigits(h, y);
        h ^= h >>> 29;
        return Long.remainderUnsigned(h * 0xbf58476d1ce4e5b9L >>> 32, 8) == 0;
    }

    private static long hashDigits(long h, int[] x) {
        int n = x.length;
        while (n > 1 && x[n - 1] == 0) n--;
        for (int i = 0; i < n; i++) h = (h ^ x[i]) * 0x100000001b3L;
        return h;
    }

    /**
     * "12345+678" → one problem (B = 1) with T = longest operand + 1, for {@code yuefu add --eval}. Spaces are
     * allowed around the operands; anything but digits and one '+' is an error that says what is expected.
     */
    public static Batch parse(String expr, DigitOrder order) {
        String[] parts = expr.trim().split("\\s*\\+\\s*", -1);
        if (parts.length != 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
            throw new ConfigException("--eval wants two non-negative integers joined by '+', like \"12345+678\"; got \""
                    + expr + "\"");
        }
        int t = Math.max(parts[0].length(), parts[1].length()) + 1;
        Batch out = new Batch(1, t, new int[t], new int[t], new int[t]);
        put(out, 0, lsbDigits(parts[0], t), lsbDigits(parts[1], t), order);
        return out;
    }

    private static int[] lsbDigits(String s, int t) {
        int[] x = new int[t];
        for (int i = 0; i < s.length(); i++) x[i] = s.charAt(s.length() - 1 - i) - '0';
        return x;
    }

    /** Row r of a (B, T) digit array in reading order → the number as written (no leading zeros). */
    public static String toNumber(int[] digits, int r, int t, DigitOrder order) {
        StringBuilder sb = new StringBuilder(t);
        for (int i = t - 1; i >= 0; i--) sb.append((char) ('0' + digits[r * t + (order == DigitOrder.LSB ? i : t - 1 - i)]));
        int lead = 0;
        while (lead < sb.length() - 1 && sb.charAt(lead) == '0') lead++;
        return sb.substring(lead);
    }

    /**
     * (B, T) carries into each digit position of the sum, in LSB index (position i's carry-in comes from digit
     * i − 1): what the per-position carry accuracy is conditioned on.
     */
    public static boolean[] carriesIn(Batch p, DigitOrder order) {
        int t = p.positions();
        boolean[] c = new boolean[p.batch() * t];
        for (int r = 0; r < p.batch(); r++) {
            int carry = 0;
            for (int i = 0; i < t; i++) {
                int q = r * t + (order == DigitOrder.LSB ? i : t - 1 - i);
                c[r * t + i] = carry == 1;
                carry = (p.a()[q] + p.b()[q] + carry) / DIGITS;
            }
        }
        return c;
    }
}
