package io.github.yuefu.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.model.LanguageModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch loads our model files: torch_logprobs.py parses the safetensors bytes by hand, builds nn.Embedding +
 * nn.LSTM/GRU/RNN + nn.Linear, loads the state dict strictly (names and shapes must match) and compares its
 * log-probs with ours on the same input. Skipped with a message when /usr/bin/python3 has no torch.
 */
class TorchInteropTest {
    private static final String PY = "/usr/bin/python3";

    @TempDir
    Path tmp;

    @BeforeAll
    static void needTorch() throws Exception {
        boolean ok = false;
        if (Files.isExecutable(Path.of(PY))) {
            Process p = new ProcessBuilder(PY, "-c", "import torch").redirectErrorStream(true).start();
            ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        }
        Assumptions.assumeTrue(ok, "skipped: " + PY + " with torch is not available on this machine");
    }

    private void check(CellType cell, InputKind input, int layers, boolean checkpoint) throws Exception {
        int V = 11, B = 2, T = 7;
        LanguageModel m = new LanguageModel(new ModelConfig(cell, layers, V, input, 6, 5, 0.25f));
        m.initialize(17);
        Path f = tmp.resolve(cell.id() + "-" + input.id() + ".safetensors");
        if (checkpoint) {
            TrainingCheckpoint.save(f, m, ModelFileTest.vocab(V), Map.of(), new TrainingState(3, 0, new long[] {0, 3}, 1,
                    "adam", 3, Map.of("exp_avg", new float[m.params().size()]), io.github.yuefu.optim.LrSchedule.State.INITIAL,
                    1, 0, 9, 3, 0, 2.3, 100, 9, 1, null, null));
        } else {
            ModelFile.save(f, m, ModelFileTest.vocab(V), Map.of());
        }
        int[] in = new SplittableRandom(5).ints(B * T, 0, V).toArray();
        int[] tg = new int[B * T];
        m.forward(in, tg, B, T, -1, null, false);
        float[] lp = Arrays.copyOf(m.logProbs(), B * T * V);
        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.put("batch", B).put("time", T);
        for (int x : in) c.withArray("inputs").add(x);
        for (float x : lp) c.withArray("logprobs").add(x);
        Path cse = tmp.resolve("case.json");
        json.writeValue(cse.toFile(), c);
        Path script = tmp.resolve("torch_logprobs.py");
        try (InputStream s = getClass().getResourceAsStream("torch_logprobs.py")) {
            Files.copy(s, script);
        } catch (java.nio.file.FileAlreadyExistsException ignored) {
            // copied for an earlier case
        }
        Process p = new ProcessBuilder(PY, script.toString(), f.toString(), cse.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        System.out.print("[torch] " + out);
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void lstmWithEmbedding() throws Exception {
        check(CellType.LSTM, InputKind.EMBEDDING, 2, false);
    }

    @Test
    void gruWithEmbeddingFromATrainingCheckpoint() throws Exception {
        check(CellType.GRU, InputKind.EMBEDDING, 2, true);
    }

    @Test
    void rnnWithOneHot() throws Exception {
        check(CellType.RNN, InputKind.ONEHOT, 1, false);
    }

    @Test
    void lstmWithOneHot() throws Exception {
        check(CellType.LSTM, InputKind.ONEHOT, 2, false);
    }

}
