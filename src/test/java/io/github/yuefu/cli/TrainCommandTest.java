package io.github.yuefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.train.TinyCorpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** yuefu train / eval / inspect / plot through the CLI: a tiny run, then every kind of bad input. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainCommandTest {
    @TempDir
    static Path tmp;
    static Path corpus, run;

    record Out(int code, String out, String err) {}

    static Out cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Out(code, out.toString(), err.toString());
    }

    static final String[] SMALL = {"--cell", "gru", "--layers", "1", "--embed", "8", "--hidden", "16", "--batch", "8",
            "--steps", "12", "--eval-every", "6", "--val-fraction", "0.1", "--threads", "1", "--no-plot"};

    static String[] args(String... first) {
        List<String> l = new ArrayList<>(List.of(first));
        l.addAll(List.of(SMALL));
        return l.toArray(new String[0]);
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        corpus = tmp.resolve("poems.txt");
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String p : TinyCorpus.poems()) sb.append("题").append(i++).append(':').append(p).append('\n');
        Files.writeString(corpus, sb.toString());
        run = tmp.resolve("run");
        Out o = cli(args("train", "--corpus", corpus.toString(), "--out", run.toString()));
        assertEquals(0, o.code(), o.err());
    }

    @Test
    @Order(1)
    void trainWritesARunThatEvalInspectAndPlotRead() throws Exception {
        assertTrue(o(cli("inspect", run.toString())).contains("parameters"));
        Out e = cli("eval", "--model", run.toString(), "--corpus", corpus.toString(), "--json");
        assertEquals(0, e.code(), e.err());
        JsonNode j = new ObjectMapper().readTree(e.out());
        assertEquals("validation split of the training corpus", j.path("subset").asText());
        assertTrue(j.path("ppl").asDouble() > 1 && j.path("ppl").asDouble() < 100, e.out());
        assertEquals(j.path("loss").asDouble() / Math.log(2), j.path("bpc").asDouble(), 1e-9);
        assertTrue(o(cli("eval", "--model", run.resolve("model.safetensors").toString(), "--corpus", corpus.toString())).contains("perplexity"));
        Path png = tmp.resolve("c.png");
        o(cli("plot", run.toString(), "--out", png.toString()));
        assertTrue(Files.size(png) > 1000);
    }

    private static String o(Out o) {
        assertEquals(0, o.code(), o.err());
        return o.out();
    }

    @Test
    @Order(2)
    void resumeOfAFinishedRunEndsCleanlyAndRefusesNewSettings() {
        Out r = cli("train", "--resume", run.toString(), "--threads", "1", "--no-plot");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("12 steps"), r.out());
        Out bad = cli("train", "--resume", run.toString(), "--lr", "0.1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("drop --lr"), bad.err());
    }

    @Test
    @Order(3)
    void badInputExitsTwoAndOverwritesNothing() throws Exception {
        Path file = tmp.resolve("precious.txt");
        Files.writeString(file, "keep me");
        Out o = cli(args("train", "--corpus", corpus.toString(), "--out", file.toString()));
        assertEquals(2, o.code());
        assertTrue(o.err().contains("existing file"), o.err());
        assertEquals("keep me", Files.readString(file));
        Out again = cli(args("train", "--corpus", corpus.toString(), "--out", run.toString()));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--resume"), again.err());
        for (String[] bad : List.of(new String[] {"--layers", "-1"}, new String[] {"--hidden", "0"}, new String[] {"--cell", "transformer"},
                new String[] {"--optimizer", "adagrad"}, new String[] {"--lr-schedule", "linear"}, new String[] {"--batch", "-3"},
                new String[] {"--dropout", "1.5"}, new String[] {"--mode", "verse"})) {
            List<String> a = new ArrayList<>(List.of(args("train", "--corpus", corpus.toString(), "--out", tmp.resolve("x").toString())));
            a.addAll(List.of(bad));
            Out b = cli(a.toArray(new String[0]));
            assertEquals(2, b.code(), String.join(" ", bad) + ": " + b.err());
            assertTrue(b.err().startsWith("yuefu: "), b.err());
            assertFalse(b.err().contains("\tat "), b.err());
        }
        assertFalse(Files.exists(tmp.resolve("x")), "nothing created on bad input");
        Out notRun = cli("train", "--resume", tmp.toString());
        assertEquals(2, notRun.code());
        assertTrue(notRun.err().contains("not a yuefu run directory"), notRun.err());
        Out noModel = cli("eval", "--model", file.toString(), "--corpus", corpus.toString());
        assertEquals(2, noModel.code());
        assertTrue(noModel.err().contains("not a safetensors"), noModel.err());
    }

    @Test
    @Order(4)
    void resumeWithAChangedCorpusIsRefused() throws Exception {
        Path c2 = tmp.resolve("poems2.txt");
        Files.copy(corpus, c2);
        Path run2 = tmp.resolve("run2");
        assertEquals(0, cli(args("train", "--corpus", c2.toString(), "--out", run2.toString())).code());
        Files.writeString(c2, "新:天地玄黄宇宙洪荒日月盈昃辰宿列张\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        Out r = cli("train", "--resume", run2.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("same corpus"), r.err());
    }
}
