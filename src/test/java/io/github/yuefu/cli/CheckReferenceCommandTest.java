package io.github.yuefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.SharedData;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.model.RecurrentState;
import io.github.yuefu.tensor.ParamSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code yuefu check-reference}: exit 0 on the shared PyTorch cases, 1 on a case whose expected values were
 * tampered with, 2 with a one-line message naming the file on malformed input. The malformed cases are mutations
 * of a small valid case the test writes itself (so they run without ../shared).
 */
class CheckReferenceCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {}

    static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    static ArrayNode array(double[] d) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : d) a.add(v);
        return a;
    }

    static ObjectNode tensor(int[] shape, double[] data) {
        ObjectNode t = JSON.createObjectNode();
        ArrayNode s = t.putArray("shape");
        for (int d : shape) s.add(d);
        t.set("data", array(data));
        return t;
    }

    static double[] toDouble(float[] a, int off, int n) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = a[off + i];
        return d;
    }

    /** A valid, self-consistent LSTM case (expected values from the engine itself, so it passes). */
    static ObjectNode validCase() {
        int B = 2, T = 3, V = 6;
        ModelConfig cfg = new ModelConfig(CellType.LSTM, 1, V, InputKind.EMBEDDING, 3, 4, 0f);
        LanguageModel m = new LanguageModel(cfg);
        m.initialize(1);
        int[] x = {1, 2, 3, 4, 5, 0}, y = {2, 3, 4, 5, 0, 0};
        m.forward(x, y, B, T, 0, m.newState(B), false);
        double[] lp = toDouble(m.logProbs(), 0, B * T * V);
        RecurrentState s = m.newState(B);
        double loss = m.forward(x, y, B, T, 0, s, true);
        m.params().zeroGrad();
        m.backward();
        ObjectNode root = JSON.createObjectNode();
        root.put("name", "tiny");
        ObjectNode c = root.putObject("config");
        c.put("cell", "lstm").put("layers", 1).put("vocab", V).put("input", "embedding").put("embed", 3).put("hidden", 4)
                .put("batch", B).put("seq", T).put("pad", 0).put("initial_state", "zeros");
        c.putArray("lengths").add(3).add(2);
        root.set("inputs", tensor(new int[] {B, T}, new double[] {1, 2, 3, 4, 5, 0}));
        root.set("targets", tensor(new int[] {B, T}, new double[] {2, 3, 4, 5, 0, 0}));
        ObjectNode p = root.putObject("params");
        ObjectNode exp = root.putObject("expected");
        exp.put("loss", loss);
        exp.set("log_probs", tensor(new int[] {B, T, V}, lp));
        ObjectNode g = exp.putObject("grads");
        ParamSet ps = m.params();
        for (ParamSet.View v : ps.views()) {
            p.set(v.name(), tensor(v.shape(), toDouble(ps.data, v.offset(), v.size())));
            g.set(v.name(), tensor(v.shape(), toDouble(ps.grad, v.offset(), v.size())));
        }
        return root;
    }

    Path write(String name, ObjectNode node) throws IOException {
        Path f = dir.resolve(name);
        JSON.writeValue(f.toFile(), node);
        return f;
    }

    Path mutated(String name, Consumer<ObjectNode> change) throws IOException {
        ObjectNode n = validCase();
        change.accept(n);
        return write(name, n);
    }

    static void assertUsageError(Outcome o, Path file, String fragment) {
        assertEquals(2, o.code, o.out + o.err);
        String[] lines = o.err.strip().split("\n");
        assertEquals(1, lines.length, "one line: " + o.err);
        assertTrue(lines[0].startsWith("yuefu: " + file), o.err);
        assertTrue(lines[0].contains(fragment), "expected '" + fragment + "' in: " + o.err);
        assertFalse(o.err.contains("Exception"), o.err);
    }

    @Test
    void everySharedPyTorchCasePasses() throws IOException {
        Path refDir = SharedData.require("reference");
        List<String> args = new ArrayList<>();
        try (Stream<Path> s = Files.list(refDir)) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(p -> args.add(p.toString()));
        }
        Outcome o = run(Stream.concat(Stream.of("check-reference"), args.stream()).toArray(String[]::new));
        System.out.print(o.out);
        assertEquals(0, o.code, o.out + o.err);
        assertTrue(o.out.contains("all " + args.size() + " case(s) PASS"), o.out);
        assertTrue(o.out.contains("grad rnn.weight_hh_l0"), o.out);
    }

    @Test
    void aSelfConsistentCasePassesAndATamperedOneFails() throws IOException {
        Path ok = write("ok.json", validCase());
        assertEquals(0, run("check-reference", ok.toString()).code);
        Path bad = mutated("tampered.json", n -> {
            ArrayNode d = (ArrayNode) n.at("/expected/grads/output.bias/data");
            d.set(1, d.get(1).doubleValue() + 0.01);
        });
        Outcome o = run("check-reference", ok.toString(), bad.toString());
        assertEquals(1, o.code, o.out + o.err);
        assertTrue(o.out.contains("grad output.bias") && o.out.contains("FAIL"), o.out);
        assertTrue(o.out.contains("1 of 2 case(s) FAIL"), o.out);
    }

    @Test
    void malformedInputExitsTwoWithOneLineNamingTheProblem() throws IOException {
        Path notJson = dir.resolve("notjson.json");
        Files.writeString(notJson, "this is not json {");
        assertUsageError(run("check-reference", notJson.toString()), notJson, "not valid JSON");

        Path missing = dir.resolve("absent.json");
        assertUsageError(run("check-reference", missing.toString()), missing, "no such file");

        Path noBias = mutated("nobias.json", n -> ((ObjectNode) n.get("params")).remove("output.bias"));
        assertUsageError(run("check-reference", noBias.toString()), noBias, "missing params.output.bias");

        Path noGrad = mutated("nograd.json", n -> ((ObjectNode) n.at("/expected/grads")).remove("rnn.weight_hh_l0"));
        assertUsageError(run("check-reference", noGrad.toString()), noGrad, "expected.grads.rnn.weight_hh_l0");

        Path shape = mutated("shape.json", n -> ((ObjectNode) n.at("/params/rnn.weight_hh_l0")).set("shape",
                JSON.createArrayNode().add(4).add(16)));
        assertUsageError(run("check-reference", shape.toString()), shape, "has shape [4, 16], expected [16, 4]");

        Path count = mutated("count.json", n -> ((ArrayNode) n.at("/params/output.bias/data")).remove(0));
        assertUsageError(run("check-reference", count.toString()), count, "params.output.bias has 5 values");

        Path cell = mutated("cell.json", n -> ((ObjectNode) n.get("config")).put("cell", "transformer"));
        assertUsageError(run("check-reference", cell.toString()), cell, "unknown cell");

        // vocab 5 but ids up to 5 and a (6, 4) output weight: inconsistent
        Path vocab = mutated("vocab.json", n -> ((ObjectNode) n.get("config")).put("vocab", 5));
        assertUsageError(run("check-reference", vocab.toString()), vocab, "outside the vocabulary");

        Path cellMismatch = mutated("gru.json", n -> ((ObjectNode) n.get("config")).put("cell", "gru"));
        assertUsageError(run("check-reference", cellMismatch.toString()), cellMismatch, "expected [12, 3]");

        Path given = mutated("given.json", n -> ((ObjectNode) n.get("config")).put("initial_state", "given"));
        assertUsageError(run("check-reference", given.toString()), given, "missing initial_state");

        Path array = dir.resolve("array.json");
        Files.writeString(array, "[1, 2, 3]");
        assertUsageError(run("check-reference", array.toString()), array, "not a reference case");
    }

    @Test
    void helpAndNoArguments() {
        Outcome help = run("check-reference", "--help");
        assertEquals(0, help.code);
        assertTrue(help.out.contains("FILE.json"), help.out);
        assertEquals(2, run("check-reference").code);
    }
}
