package io.github.yuefu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool covers every index exactly once, with fixed chunk boundaries, nests, and reports failures. */
class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyIndexOnceAtEveryThreadCount() {
        for (int threads = 1; threads <= 4; threads++) {
            Parallel.setThreads(threads);
            for (int n : new int[] {1, 2, 3, 7, 100, 1001}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int rep = 0; rep < 50; rep++) {
                    Parallel.forRange(n, 1, (from, to) -> {
                        for (int i = from; i < to; i++) hits.incrementAndGet(i);
                    });
                }
                for (int i = 0; i < n; i++) assertEquals(50, hits.get(i), "index " + i + " threads " + threads);
            }
        }
    }

    @Test
    void dynamicTasksRunEachOnce() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int tasks : new int[] {1, 2, 5, 64}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(tasks);
                for (int rep = 0; rep < 30; rep++) {
                    Parallel.forTasks(tasks, (t, end) -> {
                        assertEquals(t + 1, end);
                        hits.incrementAndGet(t);
                        Parallel.forTasks(3, (u, e2) -> {});   // nested: runs inline
                    });
                }
                for (int i = 0; i < tasks; i++) assertEquals(30, hits.get(i));
            }
        }
    }

    @Test
    void chunkBoundariesAreFixed() {
        Parallel.setThreads(3);
        int[] starts = new int[3];
        Parallel.forChunks(10, 3, (from, to) -> starts[from == 0 ? 0 : from == 3 ? 1 : 2] = to);
        assertEquals(3, starts[0]);
        assertEquals(6, starts[1]);
        assertEquals(10, starts[2]);
    }

    @Test
    void nestedCallsRunInline() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.forRange(10, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forRange(10, 1, (f2, t2) -> {
                    for (int j = f2; j < t2; j++) hits.incrementAndGet(row * 10 + j);
                });
            }
        });
        for (int i = 0; i < 100; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void failuresReachTheCaller() {
        Parallel.setThreads(2);
        assertThrows(IllegalStateException.class, () -> Parallel.forRange(10, 1, (from, to) -> {
            if (from > 0) throw new IllegalStateException("boom");
        }));
        // The pool still works afterwards.
        AtomicIntegerArray hits = new AtomicIntegerArray(4);
        Parallel.forRange(4, 1, (from, to) -> {
            for (int i = from; i < to; i++) hits.incrementAndGet(i);
        });
        for (int i = 0; i < 4; i++) assertEquals(1, hits.get(i));
    }

    @Test
    void rejectsZeroThreads() {
        assertThrows(io.github.yuefu.config.ConfigException.class, () -> Parallel.setThreads(0));
    }
}
