package io.github.yuefu.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.text.Vocabulary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path tmp;

    static Vocabulary vocab(int n) {
        List<String> t = new ArrayList<>(Vocabulary.SPECIALS);
        for (int i = 0; t.size() < n; i++) t.add(Character.toString(0x4E00 + i));
        return new Vocabulary(t);
    }

    private Path saved(CellType cell, InputKind input) throws IOException {
        LanguageModel m = new LanguageModel(new ModelConfig(cell, 2, 9, input, 5, 6, 0.1f));
        m.initialize(3);
        Path f = tmp.resolve("m.safetensors");
        ModelFile.save(f, m, vocab(9), Map.of("split", "{\"seed\":1}"));
        return f;
    }

    @Test
    void roundTripsWeightsConfigAndVocabulary() throws IOException {
        for (CellType cell : CellType.values()) {
            for (InputKind in : InputKind.values()) {
                LanguageModel m = new LanguageModel(new ModelConfig(cell, 2, 9, in, 5, 6, 0.1f));
                m.initialize(3);
                Path f = tmp.resolve(cell + "-" + in + ".safetensors");
                ModelFile.save(f, m, vocab(9), Map.of());
                ModelFile.LoadedModel l = ModelFile.load(f);
                assertEquals(m.config(), l.config());
                assertEquals(vocab(9).tokens(), l.vocabulary().tokens());
                assertArrayEquals(m.params().data, l.model().params().data);
                assertEquals("1", l.metadata().get("format_version"));
                assertTrue(l.metadata().get("checksum").startsWith("sha256:"));
            }
        }
    }

    @Test
    void layoutIsSafetensorsWithPyTorchNames() throws IOException {
        Path f = saved(CellType.LSTM, InputKind.EMBEDDING);
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data section 8-byte aligned");
        String header = new String(b, 8, (int) n, StandardCharsets.UTF_8);
        for (String name : List.of("embedding.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "output.weight", "output.bias")) {
            assertTrue(header.contains("\"" + name + "\""), name);
        }
        assertTrue(header.contains("\"rnn.weight_ih_l0\":{\"dtype\":\"F32\",\"shape\":[24,5]"), header);
    }

    @Test
    void flippedBitIsAChecksumError() throws IOException {
        Path f = saved(CellType.GRU, InputKind.EMBEDDING);
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 1;
        Files.write(f, b);
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @Test
    void truncatedEmptyAndForeignFilesAreClearErrors() throws IOException {
        Path f = saved(CellType.RNN, InputKind.ONEHOT);
        byte[] b = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(b, b.length - 10));
        assertTrue(assertThrows(ConfigException.class, () -> ModelFile.load(cut)).getMessage().contains("truncated"));
        Path cutHeader = tmp.resolve("cut2.safetensors");
        Files.write(cutHeader, Arrays.copyOf(b, 40));
        assertTrue(assertThrows(ConfigException.class, () -> ModelFile.load(cutHeader)).getMessage().contains("not a safetensors"));
        Path empty = tmp.resolve("empty.safetensors");
        Files.write(empty, new byte[0]);
        assertTrue(assertThrows(ConfigException.class, () -> ModelFile.load(empty)).getMessage().contains("not a safetensors"));
        Path text = tmp.resolve("poems.txt");
        Files.writeString(text, "静夜思:床前明月光，疑是地上霜。\n");
        assertTrue(assertThrows(ConfigException.class, () -> ModelFile.load(text)).getMessage().contains("not a safetensors"));
        // A valid safetensors file written by another tool (no yuefu metadata).
        Path foreign = tmp.resolve("hf.safetensors");
        Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
        t.put("w", new SafeTensors.Tensor(new int[] {2}, new float[] {1, 2}));
        SafeTensors.write(foreign, t, Map.of("format", "pt"));
        assertTrue(assertThrows(ConfigException.class, () -> ModelFile.load(foreign)).getMessage().contains("not a yuefu model file"));
        assertTrue(assertThrows(ConfigException.class, () -> ModelFile.load(tmp.resolve("missing"))).getMessage().contains("no such"));
    }

    @Test
    void newerFormatVersionIsRefusedWithAnUpgradeHint() throws IOException {
        LanguageModel m = new LanguageModel(new ModelConfig(CellType.LSTM, 1, 9, InputKind.EMBEDDING, 4, 4, 0f));
        Path f = tmp.resolve("future.safetensors");
        ModelFile.save(f, m, vocab(9), Map.of("format_version", "99"));
        ConfigException e = assertThrows(ConfigException.class, () -> ModelFile.load(f));
        assertTrue(e.getMessage().contains("newer yuefu") && e.getMessage().contains("upgrade"), e.getMessage());
    }

    @Test
    void runDirectoryLoadsItsBestCheckpointAndFallsBackWhenDamaged() throws IOException {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve(CheckpointStore.RUN_MARKER), "{}");
        CheckpointStore store = CheckpointStore.create(run);
        LanguageModel m = new LanguageModel(new ModelConfig(CellType.LSTM, 1, 9, InputKind.EMBEDDING, 4, 4, 0f));
        double[] ppl = {50, 20, 30, 40, 35};
        for (int i = 0; i < ppl.length; i++) {
            m.initialize(i);
            store.save((i + 1) * 100L, ppl[i], 2, f -> ModelFile.save(f, m, vocab(9), Map.of()));
        }
        // Best 2 (20 @200, 30 @300) + latest (35 @500) remain.
        assertEquals(List.of(500L, 300L, 200L), CheckpointStore.open(run).byRecency().stream().map(CheckpointStore.Entry::step).toList());
        assertTrue(Files.exists(run.resolve("checkpoints/ckpt-step000200-ppl20.00.safetensors")));
        assertTrue(!Files.exists(run.resolve("checkpoints/ckpt-step000400-ppl40.00.safetensors")));
        assertTrue(ModelFile.load(run).file().toString().endsWith("ckpt-step000200-ppl20.00.safetensors"));
        Path best = run.resolve("checkpoints/ckpt-step000200-ppl20.00.safetensors");
        byte[] b = Files.readAllBytes(best);
        b[b.length - 5] ^= 8;
        Files.write(best, b);
        List<String> warnings = new ArrayList<>();
        ModelFile.LoadedModel l = ModelFile.load(run, warnings::add);
        assertTrue(l.file().toString().endsWith("ckpt-step000300-ppl30.00.safetensors"));
        assertTrue(warnings.getFirst().contains("checksum mismatch"), warnings.toString());
        ConfigException notRun = assertThrows(ConfigException.class, () -> ModelFile.load(tmp));
        assertTrue(notRun.getMessage().contains("not a yuefu run directory"), notRun.getMessage());
    }
}
