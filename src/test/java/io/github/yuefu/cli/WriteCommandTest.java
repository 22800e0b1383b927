package io.github.yuefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.generate.BigramModel;
import io.github.yuefu.generate.TestPoems;
import io.github.yuefu.generate.WriteModel;
import io.github.yuefu.poetics.Form;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WriteCommandTest {
    static final BigramModel MODEL = BigramModel.poems();
    private Function<Path, WriteModel> saved;
    @TempDir
    Path tmp;

    @BeforeEach
    void fakeLoader() {
        saved = WriteCommand.loader;
        WriteCommand.loader = p -> new WriteModel(MODEL, MODEL.vocab, io.github.yuefu.text.CharTokenizer.INSTANCE, null);
    }

    @AfterEach
    void restore() {
        WriteCommand.loader = saved;
    }

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void writesAFormPoemLineByLine() {
        Result r = run("write", "--model", "m", "--start", "月", "--form", "wujue", "--rhyme", "--seed", "3");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("月") && lines[0].endsWith("。") && lines[0].length() == 12, r.out());
        assertEquals(12, lines[1].length(), r.out());
        assertTrue(lines[2].contains("log-prob"), r.out());
    }

    @Test
    void jsonWithReports() throws Exception {
        Path corpus = tmp.resolve("poems.txt");
        StringBuilder sb = new StringBuilder();
        for (String p : TestPoems.ALL) sb.append("t:").append(p).append('\n');
        Files.writeString(corpus, sb);
        Result r = run("write", "--model", "m", "--acrostic", "春夏秋冬", "--count", "3", "--seed", "1", "--json",
                "--report", "--corpus", corpus.toString(), "--tones", "soft");
        assertEquals(0, r.code(), r.err());
        JsonNode list = new ObjectMapper().readTree(r.out());
        assertEquals(3, list.size());
        for (JsonNode p : list) {
            assertTrue(p.get("text").asText().startsWith("春"));
            assertTrue(p.get("logprob").asDouble() < 0);
            assertTrue(p.get("perplexity").asDouble() > 1);
            assertEquals("wujue", p.get("report").get("form").asText());
            assertTrue(p.get("report").get("form_ok").asBoolean());
            assertTrue(p.get("report").get("longest_copied_length").asInt() >= 2);
        }
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        String[][] bad = {
            {"write", "--model", "m", "--start", ""},
            {"write", "--model", "m", "--start", "龘"},
            {"write", "--model", "m", "--prefix", "x".repeat(2000)},
            {"write", "--model", "m", "--acrostic", "春夏秋冬春夏秋冬春"},
            {"write", "--model", "m", "--acrostic", "春夏秋冬春", "--form", "qijue"},
            {"write", "--model", "m", "--beam", "4", "--top-p", "0.9"},
            {"write", "--model", "m", "--start", "月", "--prefix", "月"},
            {"write", "--model", "m", "--rhyme"},
            {"write", "--model", "m", "--form", "haiku"},
            {"write", "--model", "m", "--temperature", "-1"},
        };
        for (String[] args : bad) {
            Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args) + " → " + r.err());
            assertTrue(r.err().startsWith("yuefu: ") && !r.err().contains("\tat "), r.err());
        }
        Result unknown = run("write", "--model", "m", "--prefix", "國破");
        assertTrue(unknown.err().contains("'國' (try '国')"), unknown.err());
    }

    @Test
    void unreadableModelFilesExitTwo() throws Exception {
        WriteCommand.loader = saved;
        Path junk = tmp.resolve("junk.bin");
        Files.write(junk, new byte[] {1, 2, 3});
        Result r = run("write", "--model", junk.toString(), "--seed", "1");
        assertEquals(2, r.code(), r.err());
        Result missing = run("write", "--model", tmp.resolve("none").toString(), "--seed", "1");
        assertEquals(2, missing.code(), missing.err());
    }

    @Test
    void interactiveSessionFromStdin() {
        InputStream saved = System.in;
        // pick the top character, type one, undo it, ask for whole clauses and take the first, then quit
        System.setIn(new ByteArrayInputStream("1\n月\nu\nl\n1\nq\n".getBytes(StandardCharsets.UTF_8)));
        try {
            Result r = run("write", "--model", "m", "--interactive", "--form", "qijue", "--seed", "2", "--choices", "5");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("next:  1 "), r.out());
            assertTrue(r.out().contains("[character 2 of clause 1]"), r.out());
            String[] lines = r.out().strip().split("\n");
            String last = lines[lines.length - 1];
            assertEquals(8, last.length(), r.out()); // one 7-character clause and its ，
            assertTrue(last.endsWith("，"), last);
            assertEquals(null, Form.QIJUE.violation(last + "一二三四五六七。一二三四五六七，一二三四五六七。"));
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void evalQualityPrintsTheTable() throws Exception {
        Path corpus = tmp.resolve("poems.txt");
        StringBuilder sb = new StringBuilder();
        for (String p : TestPoems.ALL) sb.append("t:").append(p).append('\n');
        Files.writeString(corpus, sb);
        Result r = run("write", "--model", "m", "--eval-quality", "10", "--corpus", corpus.toString(), "--seed", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("qijue --rhyme --tones hard"), r.out());
        assertTrue(r.out().contains("B = 1"), r.out());
        for (String line : r.out().split("\n")) {
            if (line.startsWith("wujue ") || line.startsWith("qijue --rhyme")) assertTrue(line.contains(" 100% "), line);
        }
    }

    @Test
    void realModelFilesLoadAndDamagedOnesExitTwo() throws Exception {
        WriteCommand.loader = saved;
        io.github.yuefu.text.Vocabulary vocab = MODEL.vocab;
        var lm = new io.github.yuefu.model.LanguageModel(new io.github.yuefu.config.ModelConfig(
                io.github.yuefu.config.CellType.GRU, 1, vocab.size(), io.github.yuefu.config.InputKind.EMBEDDING, 8, 16, 0f));
        lm.initialize(1);
        Path file = tmp.resolve("model.safetensors");
        io.github.yuefu.checkpoint.ModelFile.save(file, lm, vocab, java.util.Map.of());
        Result ok = run("write", "--model", file.toString(), "--form", "wujue", "--seed", "1", "--json");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("\"perplexity\""), ok.out());
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = tmp.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Result t = run("write", "--model", truncated.toString(), "--seed", "1");
        assertEquals(2, t.code(), t.err());
        Path foreign = tmp.resolve("foreign.safetensors"); // a valid safetensors file from another tool
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + header.length() + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).putFloat(1f);
        Files.write(foreign, buf.array());
        Result f = run("write", "--model", foreign.toString(), "--seed", "1");
        assertEquals(2, f.code(), f.err());
        assertTrue(f.err().startsWith("yuefu: "), f.err());
    }
}
