package io.github.yuefu.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.SampleConfig;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void quickselectMatchesSorting() {
        Random rng = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(200);
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = rng.nextInt(4) == 0 ? 0.25f : rng.nextFloat(); // some ties
            float[] sorted = a.clone();
            Arrays.sort(sorted);
            int k = 1 + rng.nextInt(n);
            assertEquals(sorted[n - k], Sampler.kthLargest(a.clone(), n, k));
            double total = 0;
            for (float x : a) total += x;
            double target = rng.nextDouble() * total;
            double acc = 0;
            float expected = sorted[0];
            for (int i = n - 1; i >= 0; i--) {
                acc += sorted[i];
                if (acc >= target) {
                    expected = sorted[i];
                    break;
                }
            }
            assertEquals(expected, Sampler.nucleusThreshold(a.clone(), n, target), 1e-6);
        }
    }

    @Test
    void topKAndTopPOnlyDrawFromTheHead() {
        float[] logits = {3f, 2.9f, 1f, 0f, -1f, Float.NEGATIVE_INFINITY};
        Sampler k2 = new Sampler(SampleConfig.defaults().withDecoding(1.0, 2, 1.0, 0), logits.length);
        Sampler p = new Sampler(SampleConfig.defaults().withDecoding(1.0, 0, 0.5, 0), logits.length);
        Sampler all = new Sampler(SampleConfig.defaults(), logits.length);
        SplittableRandom rng = new SplittableRandom(3);
        int[] seen = new int[logits.length];
        for (int i = 0; i < 2000; i++) {
            assertTrue(k2.choose(logits, 0, logits.length, rng) < 2);
            assertTrue(p.choose(logits, 0, logits.length, rng) < 2);
            seen[all.choose(logits, 0, logits.length, rng)]++;
        }
        assertEquals(0, seen[5]);
        assertTrue(seen[2] > 0 && seen[3] > 0, Arrays.toString(seen));
        // softmax(3, 2.9, 1, 0, -1): the first token has probability ≈ 0.46
        assertEquals(0.46, seen[0] / 2000.0, 0.04);
    }
}
