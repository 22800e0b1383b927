package io.github.yuefu.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.yuefu.kernel.Parallel;
import org.junit.jupiter.api.Test;

class ParamSetTest {
    /** zeroGrad clears every gradient, its chunks split over the threads (sizes not a multiple of the chunk). */
    @Test
    void zeroGradClearsEveryElementAtAnyThreadCount() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                ParamSet ps = ParamSet.builder().add("a", 70_001).add("b", 3, 5).build();
                java.util.Arrays.fill(ps.grad, 1.5f);
                java.util.Arrays.fill(ps.data, 2f);
                ps.zeroGrad();
                for (int i = 0; i < ps.grad.length; i++) assertEquals(0f, ps.grad[i], "grad " + i + ", " + threads + " threads");
                for (float v : ps.data) assertEquals(2f, v, "the weights stay");
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
