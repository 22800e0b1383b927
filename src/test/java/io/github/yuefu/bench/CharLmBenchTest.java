package io.github.yuefu.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.CellType;
import io.github.yuefu.kernel.Gemms;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark's sgemm peak: measured when not given, said so, and share_of_peak divides by it. */
class CharLmBenchTest {
    private static CharLmBenchConfig tiny(double peak) {
        return new CharLmBenchConfig("t", CellType.LSTM, 1, 4, 8, 20, 2, 3, 2, 0, 1, 3, 0, 2e-3, 1, peak);
    }

    @Test
    void withoutAGivenPeakItIsMeasuredAndLabelled() throws Exception {
        Map<String, Object> o = CharLmBench.run(tiny(0), Gemms.forName("best"), Path.of("/nonexistent/poems.txt"), 64, 32);
        String source = (String) o.get("peak_source");
        assertTrue(source.startsWith("measured: yuefu ") && source.contains("sgemm 64x32x64, 1 thread(s)"), source);
        double peak = (Double) o.get("peak_gflops"), achieved = (Double) o.get("achieved_gflops");
        assertTrue(peak > 0, "peak " + peak);
        // share = achieved / peak, from the unrounded achieved figure: within the roundings of both printed values.
        assertEquals(achieved / peak, (Double) o.get("share_of_peak"), 0.0006 + 0.0051 / peak);
    }

    @Test
    void aGivenPeakIsUsedAsIs() throws Exception {
        Map<String, Object> o = CharLmBench.run(tiny(80), Gemms.forName("best"), Path.of("/nonexistent/poems.txt"));
        assertEquals(80.0, (Double) o.get("peak_gflops"));
        assertEquals("given (--peak-gflops)", o.get("peak_source"));
    }
}
