package io.github.yuefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.text.Vocabulary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code yuefu serve} end to end: a model file saved to disk, served on an ephemeral port, stopped by interrupt. */
class ServeCommandTest {

    /** A tiny random-weight GRU saved as a model file. */
    static Path modelFile(Path dir) throws java.io.IOException {
        List<String> tokens = new ArrayList<>(Vocabulary.SPECIALS);
        tokens.addAll(List.of("，", "。"));
        "月明山水风花雪春秋江天云日夜人何处不知来去相思长空".codePoints().forEach(cp -> tokens.add(Character.toString(cp)));
        Vocabulary vocab = new Vocabulary(tokens);
        LanguageModel m = new LanguageModel(new ModelConfig(CellType.GRU, 1, vocab.size(), InputKind.EMBEDDING, 8, 16, 0f));
        m.initialize(3);
        Path file = dir.resolve("tiny.safetensors");
        ModelFile.save(file, m, vocab, Map.of());
        return file;
    }

    @Test
    void servesAModelFileUntilInterrupted(@TempDir Path dir) throws Exception {
        Path file = modelFile(dir);

        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = new Thread(() -> exit.set(cl.execute("serve", "--model", "poems=" + file, "--port", "0", "--quiet")));
        t.start();
        String url = null;
        for (int i = 0; i < 200 && url == null; i++) {
            Matcher mt = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)").matcher(out.toString());
            if (mt.find()) url = mt.group(1);
            else Thread.sleep(25);
        }
        try {
            assertTrue(url != null, "no serving line: " + out);
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> models = client.send(HttpRequest.newBuilder(URI.create(url + "api/models")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(models.body().contains("\"name\":\"poems\"") && models.body().contains("\"cell\":\"GRU\""), models.body());
            HttpResponse<String> poem = client.send(HttpRequest.newBuilder(URI.create(url + "api/generate"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"start\":\"春\",\"form\":\"wulv\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, poem.statusCode(), poem.body());
        } finally {
            t.interrupt();
            t.join(5000);
        }
        assertEquals(0, exit.get());
    }

    @Test
    void missingModelIsAUsageError(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("serve", "--model", dir.resolve("nope.safetensors").toString(), "--port", "0"));
        assertTrue(err.toString().contains("nope.safetensors"), err.toString());
        assertEquals(2, cl.execute("serve", "--model", "x=" + dir, "--timeout-s", "0"));
    }

    @Test
    void aPortInUseIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = modelFile(dir);
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true));
            assertEquals(2, cl.execute("serve", "--model", file.toString(), "--port", Integer.toString(taken.getLocalPort())));
            assertTrue(err.toString().contains("choose another --port"), err.toString());
        }
    }
}
