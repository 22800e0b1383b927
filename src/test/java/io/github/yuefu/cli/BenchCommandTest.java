package io.github.yuefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.kernel.Parallel;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code yuefu bench}: the JSON line has the peer's fields; --gemm prints GFLOP/s; bad input exits 2. */
class BenchCommandTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    private static String[] run(int expectedExit, String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        assertEquals(expectedExit, code, "exit code; stderr: " + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void tinyModelPrintsThePeersFields() throws Exception {
        String out = run(0, "bench", "--cell", "gru", "--layers", "1", "--embed", "8", "--hidden", "16",
                "--vocab", "50", "--batch", "3", "--seq", "5", "--steps", "3", "--warmup", "1", "--threads", "1",
                "--gen-tokens", "7", "--data", "/nonexistent/poems.txt", "--label", "t", "--peak-gflops", "50")[0];
        JsonNode j = new ObjectMapper().readTree(out);
        for (String f : new String[] {"label", "cell", "layers", "embed", "hidden", "vocab", "batch", "seq", "threads",
                "params", "data", "warmup_steps", "timed_steps", "step_ms_median", "step_ms_min", "step_ms_max",
                "train_tokens_per_s", "train_tokens_per_s_mean", "fwd_mflop_per_token", "train_mflop_per_token",
                "achieved_gflops", "gen_tokens_per_s", "gen_runs_s", "loss_first", "loss_last",
                "rss_after_import_mb", "peak_rss_train_mb", "peak_rss_mb", "share_of_peak"}) {
            assertTrue(j.has(f), "missing " + f + " in " + out);
        }
        assertEquals("gru", j.get("cell").asText());
        assertTrue(j.get("data").asText().startsWith("synthetic Zipf"));
        // Peer's formula: 2·G·H·(in + H) per layer + 2·H·V = 2·3·16·24 + 2·16·50 = 3904 FLOPs.
        assertEquals(0.004, j.get("fwd_mflop_per_token").asDouble(), 1e-9);   // rounded to 3 places, as the peer
        assertTrue(j.get("train_tokens_per_s").asDouble() > 0);
        assertTrue(j.get("loss_first").asDouble() > 0);
        // (The measured peak, without --peak-gflops: CharLmBenchTest, with a small probe.)
    }

    @Test
    void aGivenPeakIsUsedAndLabelled() throws Exception {
        String out = run(0, "bench", "--cell", "rnn", "--layers", "1", "--embed", "4", "--hidden", "8", "--vocab", "20",
                "--batch", "2", "--seq", "3", "--steps", "2", "--warmup", "0", "--threads", "1", "--gen-tokens", "3",
                "--gen-warmup", "0", "--data", "/nonexistent/poems.txt", "--peak-gflops", "123.5")[0];
        JsonNode j = new ObjectMapper().readTree(out);
        assertEquals(123.5, j.get("peak_gflops").asDouble());
        assertEquals("given (--peak-gflops)", j.get("peak_source").asText());
    }

    @Test
    void gemmShapesPrintGflops() throws Exception {
        String out = run(0, "bench", "--gemm", "20,30,40,n,t", "--threads", "1")[0];
        JsonNode j = new ObjectMapper().readTree(out.lines().findFirst().orElseThrow());
        assertEquals(20, j.get("m").asInt());
        assertTrue(j.get("transB").asBoolean());
        assertTrue(j.get("gflops_best").asDouble() >= 0);   // a cold JVM may print 0.0 at this size
    }

    @Test
    void badInputExitsTwo() {
        assertTrue(run(2, "bench", "--gemm", "1,2")[1].contains("M,K,N"));
        assertTrue(run(2, "bench", "--config", "Z")[1].contains("A, B, C, D or E"));
        assertTrue(run(2, "bench", "--engine", "fast", "--gemm", "2,2,2")[1].contains("unknown gemm"));
        assertTrue(run(2, "bench", "--peak-gflops", "0")[1].contains("--peak-gflops"));
        assertTrue(run(2, "bench", "--peak-gflops", "NaN")[1].contains("--peak-gflops"));
    }
}
