package io.github.yuefu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API over real HTTP on loopback (ephemeral port), with {@link FakePoemService} as the model. */
class PoemServerTest {
    private static PoemServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() throws IOException {
        server = PoemServer.start(new FakePoemService(0, "tang", "song"), "127.0.0.1", 0, ServerLimits.defaults(), null);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // ---- helpers

    record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {}

    static Reply get(PoemServer s, String pathAndQuery) throws Exception {
        return reply(client.send(HttpRequest.newBuilder(URI.create(s.url() + pathAndQuery.substring(1))).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    static Reply post(PoemServer s, String json) throws Exception {
        return reply(client.send(HttpRequest.newBuilder(URI.create(s.url() + "api/generate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
    }

    static Reply reply(HttpResponse<String> r) {
        JsonNode json = null;
        if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            try {
                json = Json.MAPPER.readTree(r.body());
            } catch (IOException e) {
                throw new AssertionError("bad JSON: " + r.body(), e);
            }
        }
        return new Reply(r.statusCode(), json, r.body(), r);
    }

    static void assertBadField(Reply r, String field) {
        assertEquals(400, r.status(), r.body());
        assertEquals(field, r.json().path("field").asText(), r.body());
        assertTrue(r.json().path("error").asText().startsWith(field), r.body());
    }

    /** Sends a request line exactly as given (no client-side normalisation of ".." or %2e) and returns the status. */
    static int rawStatus(String target) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String head = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertFalse(head.contains("<project"), "pom.xml leaked for " + target);
            assertFalse(head.contains("root:"), "/etc/passwd leaked for " + target);
            assertFalse(head.contains("\u00ca\u00fe\u00ba\u00be"), "a class file leaked for " + target);
            return Integer.parseInt(head.split(" ", 3)[1]);
        }
    }

    static void assertShape(String poem, int clauses, int len) {
        String[] parts = poem.split("[，。]");
        assertEquals(clauses, parts.length, poem);
        for (String p : parts) assertEquals(len, p.codePointCount(0, p.length()), poem);
    }

    // ---- endpoints

    @Test
    void healthAndModels() throws Exception {
        Reply h = get(server, "/health");
        assertEquals(200, h.status());
        assertEquals("ok", h.json().path("status").asText());
        Reply m = get(server, "/api/models");
        assertEquals(200, m.status());
        assertEquals("tang", m.json().path("models").get(0).path("name").asText());
        assertEquals("LSTM", m.json().path("models").get(0).path("config").path("cell").asText());
        assertEquals(16, m.json().path("limits").path("max_count").asInt());
        assertTrue(server.url().startsWith("http://127.0.0.1:"), server.url());
    }

    @Test
    void generatesPoemsOfTheAskedForm() throws Exception {
        Reply r = post(server, "{\"model\":\"song\",\"start\":\"月\",\"form\":\"qijue\",\"count\":3,\"seed\":7,\"temperature\":0.5}");
        assertEquals(200, r.status(), r.body());
        assertEquals("song", r.json().path("model").asText());
        assertEquals(7, r.json().path("seed").asLong());
        JsonNode poems = r.json().path("poems");
        assertEquals(3, poems.size());
        for (JsonNode p : poems) {
            assertShape(p.path("text").asText(), 4, 7);
            assertTrue(p.path("text").asText().startsWith("月"));
            assertTrue(p.path("logprob").asDouble() < 0);
            assertTrue(p.path("perplexity").asDouble() > 1);
            assertTrue(p.path("report").path("form_ok").asBoolean());
        }
        Reply again = post(server, "{\"model\":\"song\",\"start\":\"月\",\"form\":\"qijue\",\"count\":3,\"seed\":7,\"temperature\":0.5}");
        assertEquals(r.json().path("poems"), again.json().path("poems"), "same seed, same poems");

        Reply acrostic = post(server, "{\"acrostic\":\"春夏秋冬\",\"form\":\"wujue\",\"rhyme\":true,\"tones\":\"soft\"}");
        assertEquals(200, acrostic.status(), acrostic.body());
        assertEquals("tang", acrostic.json().path("model").asText(), "first model is the default");
        String text = acrostic.json().path("poems").get(0).path("text").asText();
        String[] clauses = text.split("[，。]");
        assertEquals("春夏秋冬", "" + clauses[0].charAt(0) + clauses[1].charAt(0) + clauses[2].charAt(0) + clauses[3].charAt(0));
    }

    @Test
    void invalidInputNamesTheField() throws Exception {
        assertBadField(post(server, "{\"start\":"), "body");
        assertBadField(post(server, "[1,2]"), "body");
        assertBadField(post(server, ""), "body");
        assertBadField(post(server, "{\"start\":\"月\"} {}"), "body");
        assertBadField(post(server, "{\"temperature\":\"hot\"}"), "temperature");
        assertBadField(post(server, "{\"temperature\":-1}"), "temperature");
        assertBadField(post(server, "{\"top_p\":1.5}"), "top_p");
        assertBadField(post(server, "{\"top_k\":2.5}"), "top_k");
        assertBadField(post(server, "{\"count\":0}"), "count");
        assertBadField(post(server, "{\"count\":17}"), "count");
        assertBadField(post(server, "{\"count\":99999999999999999999}"), "count");
        assertBadField(post(server, "{\"max_length\":100000}"), "max_length");
        assertBadField(post(server, "{\"beam\":100}"), "beam");
        assertBadField(post(server, "{\"beam\":4,\"top_p\":0.9}"), "beam");
        assertBadField(post(server, "{\"form\":\"sonnet\"}"), "form");
        assertBadField(post(server, "{\"model\":\"../../etc/passwd\"}"), "model");
        assertBadField(post(server, "{\"start\":\"明月\"}"), "start");
        assertBadField(post(server, "{\"start\":3}"), "start");
        assertBadField(post(server, "{\"start\":\"月\",\"acrostic\":\"春夏秋冬\"}"), "acrostic");
        assertBadField(post(server, "{\"acrostic\":\"春夏秋冬春\",\"form\":\"wujue\"}"), "acrostic");
        assertBadField(post(server, "{\"acrostic\":\"春 夏\"}"), "acrostic");
        assertBadField(post(server, "{\"prefix\":\"" + "月".repeat(65) + "\"}"), "prefix");
        assertBadField(post(server, "{\"rhyme\":\"maybe\"}"), "rhyme");
        assertBadField(post(server, "{\"tones\":\"strict\"}"), "tones");
        assertBadField(post(server, "{\"seed\":\"abc\"}"), "seed");
        assertBadField(post(server, "{\"start\":\"龘\"}"), "start");     // refused by the model, not the parser
        Reply unknown = post(server, "{\"topk\":5}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().path("error").asText().contains("unknown field 'topk'"), unknown.body());
    }

    @Test
    void bodyLargerThanTheLimitIs413() throws Exception {
        String big = "{\"prefix\":\"" + "a".repeat(20_000) + "\"}";
        assertEquals(413, post(server, big).status());
        // Without a Content-Length (chunked): the server still stops reading at the limit.
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/generate"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
    }

    @Test
    void wrongMethodsAndPaths() throws Exception {
        Reply g = get(server, "/api/generate");
        assertEquals(405, g.status());
        assertEquals("POST", g.raw().headers().firstValue("Allow").orElse(""));
        assertEquals(404, get(server, "/api/nope").status());
        assertEquals(404, get(server, "/api/generate/streamx").status());
        assertEquals(404, get(server, "/nope.html").status());
        assertEquals(404, get(server, "/healthz").status());
    }

    @Test
    void loopbackServerRefusesForeignHostNames() throws IOException {
        for (String host : List.of("evil.example", "127.0.0.1.evil.example", "localhost.evil:80")) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(("GET /api/models HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("HTTP/1.1 403"), host + ": " + reply);
            }
        }
        for (String host : List.of("localhost:" + server.port(), "127.0.0.1", "LOCALHOST")) {
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("HTTP/1.1 200"), host + ": " + reply);
            }
        }
    }

    @Test
    void servesThePageAndNothingElse() throws Exception {
        Reply page = get(server, "/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<title>乐府"), "the page");
        assertTrue(page.raw().headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals(200, get(server, "/app.js").status());
        assertEquals(200, get(server, "/style.css").status());
        assertTrue(get(server, "/style.css").raw().headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
        for (String target : List.of("/../pom.xml", "/../../../../etc/passwd", "/%2e%2e/pom.xml", "/%2e%2e%2fpom.xml",
                "/..%2f..%2f..%2fetc%2fpasswd", "/%252e%252e/pom.xml", "/app.js/../../pom.xml", "/..\\pom.xml",
                "/.%2e/.%2e/etc/passwd", "//etc/passwd", "/io/github/yuefu/server/web/index.html",
                "/io/github/yuefu/server/PoemServer.class", "/META-INF/MANIFEST.MF", "/%c0%ae%c0%ae/pom.xml",
                "/web/../pom.xml", "/file:///etc/passwd")) {
            int status = rawStatus(target);
            assertTrue(status == 404 || status == 400, target + " → " + status);
        }
    }

    @Test
    void streamsCharactersThenThePoem() throws Exception {
        String q = "api/generate/stream?model=tang&start=" + URLEncoder.encode("月", StandardCharsets.UTF_8) + "&form=wulv&seed=3";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String[]> events = sse(r.body());
        assertEquals("start", events.getFirst()[0]);
        StringBuilder streamed = new StringBuilder();
        for (String[] e : events) if (e[0].equals("token")) streamed.append(Json.MAPPER.readTree(e[1]).path("text").asText());
        String[] last = events.getLast();
        assertEquals("poem", last[0]);
        JsonNode poem = Json.MAPPER.readTree(last[1]);
        assertEquals(poem.path("text").asText(), streamed.toString());
        assertShape(streamed.toString(), 8, 5);
        assertEquals(8 * 6, events.size() - 2, "one token event per character and punctuation mark");

        Reply bad = get(server, "/api/generate/stream?temperature=hot");
        assertBadField(bad, "temperature");
        assertBadField(get(server, "/api/generate/stream?count=2"), "count");
        assertBadField(get(server, "/api/generate/stream?start=%E9%BE%98"), "start");   // 龘: refused before any event
    }

    @Test
    void charactersArriveAsTheyAreWrittenNotAllAtTheEnd() throws Exception {
        try (PoemServer slow = PoemServer.start(new FakePoemService(20, "tang"), "127.0.0.1", 0, ServerLimits.defaults(), null)) {
            long t0 = System.nanoTime();
            List<Long> arrivals = new ArrayList<>();
            HttpResponse<java.util.stream.Stream<String>> r = client.send(
                    HttpRequest.newBuilder(URI.create(slow.url() + "api/generate/stream?form=wujue")).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            r.body().forEach(line -> {
                if (line.equals("event: token")) arrivals.add(System.nanoTime() - t0);
            });
            assertEquals(24, arrivals.size());
            // 24 characters × 20 ms: the first must arrive long before the last (no buffering until the end).
            double spreadMs = (arrivals.getLast() - arrivals.getFirst()) / 1e6;
            assertTrue(spreadMs > 300, "tokens arrived within " + spreadMs + " ms of each other");
        }
    }

    static List<String[]> sse(String body) {
        List<String[]> events = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.isBlank()) continue;
            String name = null, data = null;
            for (String line : block.split("\n")) {
                if (line.startsWith("event: ")) name = line.substring(7);
                if (line.startsWith("data: ")) data = line.substring(6);
            }
            events.add(new String[] {name, data});
        }
        return events;
    }

    // ---- limits on concurrency and time

    @Test
    void excessConcurrentRequestsAre429WithRetryAfter() throws Exception {
        ServerLimits limits = ServerLimits.defaults().withConcurrency(1, 1);
        try (PoemServer slow = PoemServer.start(new FakePoemService(15, "tang"), "127.0.0.1", 0, limits, null)) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(client.sendAsync(HttpRequest.newBuilder(URI.create(slow.url() + "api/generate"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"form\":\"wujue\"}")).build(), HttpResponse.BodyHandlers.ofString()));
            }
            int ok = 0, busy = 0;
            for (var f : all) {
                HttpResponse<String> r = f.get();
                if (r.statusCode() == 200) ok++;
                else {
                    assertEquals(429, r.statusCode(), r.body());
                    assertEquals("1", r.headers().firstValue("Retry-After").orElse(""));
                    busy++;
                }
            }
            assertTrue(ok >= 2 && busy >= 1, ok + " ok, " + busy + " refused");
            assertEquals(busy, get(slow, "/health").json().path("refused").asInt());
        }
    }

    @Test
    void slowGenerationTimesOutWith503AndFreesItsThread() throws Exception {
        ServerLimits limits = ServerLimits.defaults().withConcurrency(1, 0).withTimeout(Duration.ofMillis(250));
        try (PoemServer slow = PoemServer.start(new FakePoemService(30, "tang"), "127.0.0.1", 0, limits, null)) {
            long t0 = System.nanoTime();
            Reply r = post(slow, "{\"form\":\"qilv\"}");   // 64 characters × 30 ms ≫ 250 ms
            assertEquals(503, r.status(), r.body());
            assertTrue(r.json().path("error").asText().contains("timed out"), r.body());
            assertTrue(r.raw().headers().firstValue("Retry-After").isPresent());
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "answered at the deadline, not when the work ended");
            // The cancelled generation stops at its next character, so the one slot is free again soon.
            JsonNode h = null;
            for (int i = 0; i < 50; i++) {
                h = get(slow, "/health").json();
                if (h.path("running").asInt() == 0) break;
                Thread.sleep(20);
            }
            assertEquals(0, h.path("running").asInt(), h.toString());
            assertEquals(1, h.path("timed_out").asInt());

            // A stream that has started gets an error event instead.
            HttpResponse<String> s = client.send(HttpRequest.newBuilder(URI.create(slow.url() + "api/generate/stream?form=qilv")).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, s.statusCode());
            String[] last = sse(s.body()).getLast();
            assertEquals("error", last[0], s.body());
            assertEquals(503, Json.MAPPER.readTree(last[1]).path("status").asInt());
        }
    }

    @Test
    void rawRequestsWithHostileQueriesAreRefusedCleanly() throws IOException {
        assertEquals(400, rawStatus("/api/generate/stream?start=%E6%9C%88&start=%E6%9C%88"));
        assertEquals(400, rawStatus("/api/generate/stream?start=%ZZ"));
        assertEquals(400, rawStatus("/api/generate/stream?model=%2e%2e%2fpom.xml"));
        try (Socket s = new Socket("127.0.0.1", server.port()); InputStream in = s.getInputStream()) {
            s.getOutputStream().write("POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 999999999\r\n\r\n{".getBytes(StandardCharsets.ISO_8859_1));
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 413", head);
        }
    }
}
