package io.github.yuefu.experiments;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;

/**
 * One learn-to-carry run: the network, the numbers it trains on, and the training budget.
 *
 * @param digits      operands of 1..digits digits during training (N); positions T = N + 1
 * @param steps       Adam updates at most (training stops earlier once {@code target} is reached)
 * @param lr          peak learning rate; cosine-decayed to lr/20 over {@code steps}
 * @param clip        global gradient-norm clip (0 = off)
 * @param target      stop when held-out exact match on a check batch reaches this (0 = train all steps)
 * @param testPairs   held-out pairs per evaluation (exact match, per position, and each length of the curve)
 * @param extraDigits length-generalisation curve on N+1 … N+extraDigits digits
 */
public record AddConfig(CellType cell, int digits, DigitOrder order, int embed, int hidden, int batch, int steps,
                        double lr, double clip, double target, int testPairs, int extraDigits, long seed) {

    public AddConfig {
        if (cell == null) throw new ConfigException("--cells needs at least one of rnn, lstm, gru");
        if (order == null) throw new ConfigException("--order must be lsb or msb");
        if (digits < 1 || digits > 60) throw new ConfigException("--digits must be 1..60, got " + digits);
        if (embed < 1 || embed > 1024) throw new ConfigException("--embed must be 1..1024, got " + embed);
        if (hidden < 1 || hidden > 4096) throw new ConfigException("--hidden must be 1..4096, got " + hidden);
        if (batch < 1 || batch > 65536) throw new ConfigException("--batch must be 1..65536, got " + batch);
        if (steps < 1) throw new ConfigException("--steps must be at least 1, got " + steps);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new ConfigException("--lr must be positive, got " + lr);
        if (!(clip >= 0)) throw new ConfigException("--clip must be >= 0 (0 = off), got " + clip);
        if (!(target >= 0 && target <= 1)) throw new ConfigException("--target must be in [0, 1] (0 = off), got " + target);
        if (testPairs < 1) throw new ConfigException("--test-pairs must be at least 1, got " + testPairs);
        if (extraDigits < 0 || digits + extraDigits > 60) {
            throw new ConfigException("--generalize must be >= 0 with --digits + --generalize <= 60, got " + extraDigits);
        }
    }

    public AddConfig withCell(CellType c) {
        return new AddConfig(c, digits, order, embed, hidden, batch, steps, lr, clip, target, testPairs, extraDigits, seed);
    }
}
