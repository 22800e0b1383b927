package io.github.yuefu.server;

import io.github.yuefu.config.ConfigException;
import java.time.Duration;

/**
 * Everything a client could otherwise make unbounded. A request over a size limit is refused before any model
 * work (400, 413); generations run on a fixed pool of {@code maxConcurrent} threads with at most {@code maxQueue}
 * waiting, and anything beyond that is answered at once with 429 and a Retry-After header, so a burst costs the
 * server a refusal, not a thread or a heap of queued work.
 *
 * @param maxBodyBytes   largest accepted POST body (413 beyond)
 * @param maxPromptChars longest prefix, in characters (code points)
 * @param maxCount       most poems per request
 * @param maxLength      largest max_length a request may ask for (characters written, punctuation included)
 * @param maxBeam        widest beam
 * @param maxConcurrent  generations running at once (one thread each)
 * @param maxQueue       generations allowed to wait for a thread; 0 = refuse whenever all are busy
 * @param timeout        wall-clock limit per request, queueing included (503 beyond)
 */
public record ServerLimits(int maxBodyBytes, int maxPromptChars, int maxCount, int maxLength, int maxBeam,
                           int maxConcurrent, int maxQueue, Duration timeout) {

    /** The longest per-request timeout (the server's response-time limit for connections is set above it). */
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    /** Generation slots follow the cores: a recurrent step at batch 1 keeps one core busy. */
    public static ServerLimits defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerLimits(16 * 1024, 64, 16, 256, 8, cores, 8 * cores, Duration.ofSeconds(30));
    }

    public ServerLimits {
        check(maxBodyBytes >= 256 && maxBodyBytes <= 16 << 20, "--max-body must be 256..16777216 bytes, got " + maxBodyBytes);
        check(maxPromptChars >= 1 && maxPromptChars <= 10_000, "--max-prompt must be 1..10000, got " + maxPromptChars);
        check(maxCount >= 1 && maxCount <= 1000, "--max-count must be 1..1000, got " + maxCount);
        check(maxLength >= 8 && maxLength <= 100_000, "--max-length must be 8..100000, got " + maxLength);
        check(maxBeam >= 1 && maxBeam <= 64, "--max-beam must be 1..64, got " + maxBeam);
        check(maxConcurrent >= 1 && maxConcurrent <= 256, "--max-concurrent must be 1..256, got " + maxConcurrent);
        check(maxQueue >= 0 && maxQueue <= 10_000, "--max-queue must be 0..10000, got " + maxQueue);
        check(timeout != null && !timeout.isNegative() && !timeout.isZero() && timeout.compareTo(MAX_TIMEOUT) <= 0,
                "--timeout-s must be 1.." + MAX_TIMEOUT.toSeconds() + " seconds, got " + timeout);
    }

    private static void check(boolean ok, String message) {
        if (!ok) throw new ConfigException(message);
    }

    public ServerLimits withConcurrency(int concurrent, int queue) {
        return new ServerLimits(maxBodyBytes, maxPromptChars, maxCount, maxLength, maxBeam, concurrent, queue, timeout);
    }

    public ServerLimits withTimeout(Duration t) {
        return new ServerLimits(maxBodyBytes, maxPromptChars, maxCount, maxLength, maxBeam, maxConcurrent, maxQueue, t);
    }
}
