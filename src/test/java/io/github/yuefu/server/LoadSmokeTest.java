package io.github.yuefu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A small version of {@link LoadTest}: 50 requests from 25 clients against the real generator, all answered. */
class LoadSmokeTest {
    @Test
    void fiftyConcurrentRequestsAllAnswered() throws Exception {
        try (PoemServer server = PoemServer.start(TinyModels.service("tiny"), "127.0.0.1", 0,
                ServerLimits.defaults().withConcurrency(2, 64), null)) {
            LoadTest.Stats s = LoadTest.run(server.url(), 50, 25, LoadTest::poemRequest);
            System.out.println("load smoke: " + s.summary());
            assertEquals(0, s.unexpected(), s.summary() + " " + s.errors());
            assertEquals(50, s.ok(), "the queue (64) holds all 25 clients: nobody is refused");
            assertTrue(s.percentileMs(99) >= s.percentileMs(50));
        }
    }

    @Test
    void aTinyQueueRefusesWith429NotErrors() throws Exception {
        try (PoemServer server = PoemServer.start(new FakePoemService(5, "fake"), "127.0.0.1", 0,
                ServerLimits.defaults().withConcurrency(1, 0), null)) {
            LoadTest.Stats s = LoadTest.run(server.url(), 40, 20, LoadTest::poemRequest);
            assertEquals(0, s.unexpected(), s.summary() + " " + s.errors());
            assertTrue(s.statuses().getOrDefault(429, 0) > 0, s.summary());
            assertTrue(s.ok() > 0, s.summary());
        }
    }
}
