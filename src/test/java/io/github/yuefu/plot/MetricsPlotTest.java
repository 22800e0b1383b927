package io.github.yuefu.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.yuefu.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotTest {
    @TempDir
    Path run;

    @Test
    void drawsAPngFromMetricsWithTornLinesAndEvents() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int s = 1; s <= 100; s++) {
            sb.append(String.format(java.util.Locale.ROOT, "{\"step\":%d,\"loss\":%f,\"grad_norm\":1.0,\"lr\":0.002,\"tokens_per_s\":1000}%n", s, 8 - Math.log(s)));
            if (s % 25 == 0) sb.append(String.format(java.util.Locale.ROOT, "{\"step\":%d,\"val_loss\":%f,\"val_ppl\":%f,\"val_bpc\":1}%n", s, 7 - Math.log(s), Math.exp(7 - Math.log(s))));
        }
        sb.append("{\"step\":50,\"event\":\"rollback\"}\n{\"step\":101,\"lo");
        Files.writeString(run.resolve("metrics.jsonl"), sb.toString());
        Path png = MetricsPlot.render(run);
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, head);
    }

    @Test
    void aDirectoryWithoutMetricsIsAClearError() {
        ConfigException e = assertThrows(ConfigException.class, () -> MetricsPlot.render(run));
        assertEquals(true, e.getMessage().contains("metrics.jsonl"));
    }

    @Test
    void movingAverageIsTrailing() {
        assertEquals(List.of(1.0, 1.5, 2.5, 3.5), MetricsPlot.movingAverage(List.of(1.0, 2.0, 3.0, 4.0), 2));
    }
}
