package io.github.yuefu.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real generator behind the HTTP API (tiny random-weight model): forms hold, concurrent requests agree. */
class GeneratorPoemServiceTest {
    private static PoemServer server;
    private static final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        server = PoemServer.start(TinyModels.service("tiny", "tiny2"), "127.0.0.1", 0,
                ServerLimits.defaults().withConcurrency(2, 64), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode post(String json, int expect) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + "api/generate"))
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expect, r.statusCode(), r.body());
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void everyFormHoldsWithAcrosticRhymeAndBeam() throws Exception {
        for (String form : GenerateRequest.FORMS) {
            JsonNode r = post("{\"start\":\"月\",\"form\":\"" + form + "\",\"rhyme\":true,\"count\":3,\"seed\":5}", 200);
            for (JsonNode p : r.path("poems")) {
                String text = p.path("text").asText();
                PoemServerTest.assertShape(text, GenerateRequest.clauses(form), GenerateRequest.clauseLength(form));
                assertTrue(text.startsWith("月"), text);
                assertTrue(p.path("report").path("form_ok").asBoolean(), p.toString());
                assertTrue(p.path("logprob").asDouble() < 0 && p.path("perplexity").asDouble() > 1, p.toString());
            }
        }
        JsonNode a = post("{\"model\":\"tiny2\",\"acrostic\":\"春花秋月\",\"tones\":\"hard\",\"seed\":2}", 200);
        String text = a.path("poems").get(0).path("text").asText();
        StringBuilder heads = new StringBuilder();
        for (String c : text.split("[，。]")) heads.append(c.charAt(0));
        assertEquals("春花秋月", heads.toString(), text);
        JsonNode b = post("{\"start\":\"山\",\"form\":\"wujue\",\"beam\":4,\"count\":2}", 200);
        assertEquals(2, b.path("poems").size());
    }

    @Test
    void sameSeedSamePoemsEvenUnderConcurrency() throws Exception {
        String body = "{\"start\":\"风\",\"form\":\"qijue\",\"count\":2,\"seed\":42,\"temperature\":1.0}";
        JsonNode expected = post(body, 200).path("poems");
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            all.add(client.sendAsync(HttpRequest.newBuilder(URI.create(server.url() + "api/generate"))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : all) {
            HttpResponse<String> r = f.get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(expected, Json.MAPPER.readTree(r.body()).path("poems"), "each request has its own state");
        }
    }

    @Test
    void modelErrorsNameTheField() throws Exception {
        JsonNode r = post("{\"start\":\"龘\",\"form\":\"wujue\"}", 400);
        assertEquals("start", r.path("field").asText(), r.toString());
        assertTrue(r.path("error").asText().contains("龘"), r.toString());
        assertEquals("rhyme", post("{\"start\":\"月\",\"rhyme\":true}", 400).path("field").asText());
        assertEquals("prefix", post("{\"prefix\":\"月明山水风花雪春秋江天云日夜人何处不知来去相思长\",\"form\":\"wujue\"}", 400).path("field").asText());
    }

    @Test
    void streamEchoesTheStartThenEveryCharacter() throws Exception {
        String q = "api/generate/stream?model=tiny&start=" + URLEncoder.encode("月", StandardCharsets.UTF_8) + "&form=wujue&rhyme=true&seed=9";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(server.url() + q)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode(), r.body());
        List<String[]> events = PoemServerTest.sse(r.body());
        StringBuilder streamed = new StringBuilder();
        for (String[] e : events) if (e[0].equals("token")) streamed.append(Json.MAPPER.readTree(e[1]).path("text").asText());
        JsonNode poem = Json.MAPPER.readTree(events.getLast()[1]);
        assertEquals("poem", events.getLast()[0]);
        assertEquals(poem.path("text").asText(), streamed.toString());
        assertTrue(streamed.toString().startsWith("月"));
        PoemServerTest.assertShape(streamed.toString(), 4, 5);
    }

    @Test
    void generationThreadsShareOneWeightArray() {
        var model = new io.github.yuefu.model.LanguageModel(new io.github.yuefu.config.ModelConfig(
                io.github.yuefu.config.CellType.GRU, 2, TinyModels.vocabulary().size(), io.github.yuefu.config.InputKind.EMBEDDING, 8, 16, 0f));
        model.initialize(4);
        var twin = model.sharingWeights();
        assertTrue(twin.params().data == model.params().data, "the twin must share, not copy, the weights");
        var state = model.newState(1);
        var twinState = twin.newState(1);
        float[] a = new float[model.vocab()], b = new float[model.vocab()];
        for (int t : new int[] {2, 6, 7, 8}) {
            model.step(new int[] {t}, 1, state, a);
            twin.step(new int[] {t}, 1, twinState, b);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, "same weights, same logits");
    }

    @Test
    void modelSpecsAreNamedSafely() {
        assertEquals("tang", GeneratorPoemService.ModelSpec.parse("tang=/x/y.safetensors").name());
        assertEquals("best", GeneratorPoemService.ModelSpec.parse("/runs/a/best.safetensors").name());
        assertThrows(io.github.yuefu.config.ConfigException.class, () -> GeneratorPoemService.ModelSpec.parse("../x=/y"));
        assertThrows(io.github.yuefu.config.ConfigException.class, () -> new GeneratorPoemService(List.of()));
    }
}
