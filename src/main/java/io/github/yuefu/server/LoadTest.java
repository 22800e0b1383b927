package io.github.yuefu.server;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The server under load, measured in one process: starts {@code yuefu serve}'s server on loopback over a model
 * file, then drives it with a bounded client ({@link HttpClient} on a fixed pool of C threads, each sending its
 * next request when the last one is answered).
 *
 * <ol>
 *   <li>burst: {@code --burst} requests (default 200) all at once (C = burst): throughput, p50/p99 latency, and
 *       the status codes (429/503 are the server refusing deliberately; anything else is an error);</li>
 *   <li>soak: {@code --soak} requests (default 10,000) with C = {@code --clients}: the heap used after a full
 *       GC, sampled every tenth of the run, must not grow.</li>
 * </ol>
 *
 * <pre>
 *   java --add-modules jdk.incubator.vector -cp target/yuefu.jar io.github.yuefu.server.LoadTest MODEL [--burst 200]
 *        [--soak 10000] [--clients 16] [--max-concurrent N] [--max-queue Q]
 * </pre>
 * (bench/loadtest.sh builds the jar and runs it with a small heap so growth would show.)
 */
public final class LoadTest {

    /** What a run of requests gave: status counts, latencies of the 200s, wall time. */
    public record Stats(int requests, Map<Integer, Integer> statuses, long[] okLatencyNanos, long wallNanos, List<String> errors) {
        public int ok() {
            return statuses.getOrDefault(200, 0);
        }

        /** Requests answered with something other than 200, 429 or 503 (or not answered). */
        public int unexpected() {
            int n = 0;
            for (var e : statuses.entrySet()) if (e.getKey() != 200 && e.getKey() != 429 && e.getKey() != 503) n += e.getValue();
            return n;
        }

        public double throughput() {
            return ok() / (wallNanos / 1e9);
        }

        /** Latency percentile of the answered-200 requests, ms (nearest rank). */
        public double percentileMs(double p) {
            if (okLatencyNanos.length == 0) return Double.NaN;
            long[] s = okLatencyNanos.clone();
            Arrays.sort(s);
            int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
            return s[Math.max(0, Math.min(s.length - 1, i))] / 1e6;
        }

        public String summary() {
            return String.format("%d requests in %.2f s: statuses %s; %.1f poems/s; latency of 200s p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                    requests, wallNanos / 1e9, statuses, throughput(), percentileMs(50), percentileMs(99), percentileMs(100));
        }
    }

    private LoadTest() {}

    /**
     * Sends {@code requests} POSTs to {@code baseUrl}api/generate from {@code clients} threads (each waits for
     * its answer before sending its next); {@code body} gives request i's JSON.
     */
    public static Stats run(String baseUrl, int requests, int clients, IntFunction<String> body) throws Exception {
        URI uri = URI.create(baseUrl + "api/generate");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).executor(pool).build();
        AtomicInteger next = new AtomicInteger();
        long[] latency = new long[requests];
        int[] status = new int[requests];
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        try (ExecutorService workers = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> fs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                fs.add(workers.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < requests; ) {
                        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.apply(i), StandardCharsets.UTF_8)).build();
                        long s = System.nanoTime();
                        try {
                            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                            status[i] = r.statusCode();
                            if (r.statusCode() != 200 && r.statusCode() != 429 && r.statusCode() != 503 && errors.size() < 5) {
                                errors.add(r.statusCode() + " " + r.body());
                            }
                        } catch (Exception e) {
                            status[i] = -1;
                            if (errors.size() < 5) errors.add(e.toString());
                        }
                        latency[i] = System.nanoTime() - s;
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
            client.close();
        }
        long wall = System.nanoTime() - t0;
        Map<Integer, Integer> counts = new TreeMap<>();
        List<Long> ok = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            counts.merge(status[i], 1, Integer::sum);
            if (status[i] == 200) ok.add(latency[i]);
        }
        return new Stats(requests, counts, ok.stream().mapToLong(Long::longValue).toArray(), wall, List.copyOf(errors));
    }

    /** Heap in use after full collections, MiB (a few rounds so finalisation and reference queues settle). */
    public static double heapAfterGcMiB() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return mem.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    /** Request i: a five- or seven-character quatrain from one of a few start characters, seeded by i. */
    public static String poemRequest(int i) {
        String[] starts = {"月", "山", "春", "风", "江", "花", "秋", "夜"};
        String form = i % 2 == 0 ? "wujue" : "qijue";
        return "{\"start\":\"" + starts[i % starts.length] + "\",\"form\":\"" + form + "\",\"rhyme\":true,\"seed\":" + i + "}";
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LoadTest MODEL [--burst 200] [--soak 10000] [--clients 16] [--max-concurrent N] [--max-queue Q]");
            System.exit(2);
        }
        Map<String, Integer> opt = new TreeMap<>(Map.of("--burst", 200, "--soak", 10_000, "--clients", 16,
                "--max-concurrent", Runtime.getRuntime().availableProcessors(), "--max-queue", 256));
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!opt.containsKey(args[i])) throw new IllegalArgumentException("unknown option " + args[i]);
            opt.put(args[i], Integer.parseInt(args[i + 1]));
        }
        PrintStream out = System.out;
        GeneratorPoemService service = GeneratorPoemService.load(List.of(GeneratorPoemService.ModelSpec.parse(args[0])));
        ServerLimits limits = ServerLimits.defaults().withConcurrency(opt.get("--max-concurrent"), opt.get("--max-queue"));
        out.printf("load test: model %s %s; server max-concurrent %d, max-queue %d, timeout %d s; %d cores; JVM %s, max heap %d MiB%n",
                Path.of(args[0]).getFileName(), service.models().getFirst().config(), limits.maxConcurrent(), limits.maxQueue(),
                limits.timeout().toSeconds(), Runtime.getRuntime().availableProcessors(), Runtime.version(),
                Runtime.getRuntime().maxMemory() >> 20);
        try (PoemServer server = PoemServer.start(service, "127.0.0.1", 0, limits, null)) {
            String url = server.url();
            out.println("warm-up: " + run(url, 200, 8, LoadTest::poemRequest).summary());

            int burst = opt.get("--burst");
            Stats b = run(url, burst, burst, i -> poemRequest(1000 + i));
            out.println("burst (" + burst + " concurrent clients): " + b.summary());
            if (!b.errors().isEmpty()) out.println("  errors: " + b.errors());

            int soak = opt.get("--soak"), clients = opt.get("--clients");
            if (soak == 0) {
                boolean ok = b.unexpected() == 0;
                out.println(ok ? "load test: PASS (no unexpected statuses)" : "load test: FAIL");
                System.exit(ok ? 0 : 1);
            }
            double before = heapAfterGcMiB();
            out.printf("soak: %d requests, %d clients; heap after GC before: %.1f MiB%n", soak, clients, before);
            int chunk = Math.max(1, soak / 10), done = 0;
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<Long> lat = new ArrayList<>();
            long wall = 0;
            List<Double> heaps = new ArrayList<>();
            while (done < soak) {
                int n = Math.min(chunk, soak - done);
                int base = 10_000 + done;
                Stats s = run(url, n, clients, i -> poemRequest(base + i));
                s.statuses().forEach((k, v) -> statuses.merge(k, v, Integer::sum));
                for (long l : s.okLatencyNanos()) lat.add(l);
                wall += s.wallNanos();
                done += n;
                double h = heapAfterGcMiB();
                heaps.add(h);
                out.printf("  after %5d: heap after GC %.1f MiB; %s%n", done, h, s.summary());
                if (!s.errors().isEmpty()) out.println("  errors: " + s.errors());
            }
            Stats total = new Stats(soak, statuses, lat.stream().mapToLong(Long::longValue).toArray(), wall, List.of());
            out.println("soak total: " + total.summary());
            double firstHalf = heaps.subList(0, heaps.size() / 2).stream().mapToDouble(d -> d).max().orElse(before);
            double last = heaps.getLast();
            out.printf("heap after GC: before %.1f MiB, max of first half %.1f MiB, at the end %.1f MiB (growth %+.1f MiB)%n",
                    before, firstHalf, last, last - before);
            boolean ok = b.unexpected() == 0 && total.unexpected() == 0 && last - firstHalf < 8;
            out.println(ok ? "load test: PASS (no unexpected statuses, no heap growth)" : "load test: FAIL");
            System.exit(ok ? 0 : 1);
        }
    }
}
