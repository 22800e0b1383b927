package io.github.yuefu.bench;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;

/**
 * One char-LM benchmark run, the same knobs as {@code ../shared/bench/torch_charlm.py} (same defaults), so the two
 * can be run back to back with identical arguments.
 *
 * @param steps     timed training steps (after warm-up)
 * @param genTokens greedy generation length at batch 1
 * @param genWarmup untimed generated tokens before the timed runs. The peer warms up with 20; a JIT needs more: C2
 *                  compiles the step path only after a few thousand calls, and until then a run is up to 1.7×
 *                  slower (measured on config A: runs 2–4 of 1,000 tokens at 135–183 ms, then 125–130 ms)
 * @param peakGflops the machine's sgemm peak used for "share of peak" (bench/compare.sh passes OpenBLAS's, measured
 *                   just before); 0 = measure yuefu's own sgemm here at the run's thread count (see CharLmBench)
 */
public record CharLmBenchConfig(String label, CellType cell, int layers, int embed, int hidden, int vocab, int batch,
                                int seq, int steps, int warmup, int threads, int genTokens, int genWarmup, double lr, long seed,
                                double peakGflops) {
    public CharLmBenchConfig {
        if (layers < 1 || embed < 1 || hidden < 1 || vocab < 2 || batch < 1 || seq < 1) {
            throw new ConfigException("bench: layers, embed, hidden, batch, seq must be ≥ 1 and vocab ≥ 2");
        }
        if (steps < 1 || warmup < 0 || threads < 1 || genTokens < 1 || genWarmup < 0) {
            throw new ConfigException("bench: --steps, --threads, --gen-tokens must be ≥ 1 and --warmup, --gen-warmup ≥ 0");
        }
        if (!(peakGflops >= 0) || Double.isInfinite(peakGflops)) {   // (0 = measure; NaN fails the test too)
            throw new ConfigException("bench: --peak-gflops must be a positive number of GFLOP/s (or left out to measure it)");
        }
    }

    /**
     * The standard configurations of ../shared/bench/README.md (vocab 6000, Adam, clip 5, 2 threads), steps and
     * warm-up as the peer's defaults (50, 5); generation warm-up {@value #GEN_WARMUP} tokens (see genWarmup).
     */
    public static CharLmBenchConfig preset(String name) {
        return switch (name.toUpperCase(java.util.Locale.ROOT)) {
            case "A" -> of("A", CellType.LSTM, 2, 128, 256, 64, 64);
            case "B" -> of("B", CellType.LSTM, 2, 256, 512, 64, 64);
            case "C" -> of("C", CellType.GRU, 2, 128, 256, 64, 64);
            case "D" -> of("D", CellType.RNN, 1, 64, 128, 32, 32);
            case "E" -> of("E", CellType.LSTM, 3, 512, 1024, 32, 64);
            default -> throw new ConfigException("unknown bench config '" + name + "': use A, B, C, D or E");
        };
    }

    /** Default untimed generation tokens: enough for C2 to compile the whole step path (measured, see genWarmup). */
    public static final int GEN_WARMUP = 5000;

    private static CharLmBenchConfig of(String label, CellType cell, int layers, int embed, int hidden, int batch, int seq) {
        return new CharLmBenchConfig(label, cell, layers, embed, hidden, 6000, batch, seq, 50, 5, 2, 1000, GEN_WARMUP, 2e-3, 1234, 0);
    }

    /** Forward matmul FLOPs per token, 2 per multiply-add, embedding free: the peer's formula. */
    public long forwardFlopsPerToken() {
        long f = 0;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embed : hidden;
            f += 2L * cell.gates * hidden * (in + hidden);
        }
        return f + 2L * hidden * vocab;
    }
}
