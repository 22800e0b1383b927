package io.github.yuefu.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.yuefu.checkpoint.CheckpointStore;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.optim.OptimConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    Path tmp;

    private static Trainer.Result train(TrainConfig cfg, Path run, long stopAfter) throws IOException {
        RunDirectory.create(run, TinyCorpus.corpusConfig(), cfg);
        TrainData data = TinyCorpus.data(cfg);
        return new Trainer(cfg, data, run, new Trainer.Options(new PrintStream(PrintStream.nullOutputStream()), false, false, stopAfter)).run();
    }

    private static Trainer.Result resume(TrainConfig cfg, Path run, PrintStream out) throws IOException {
        TrainData data = TinyCorpus.data(cfg);
        Trainer t = new Trainer(cfg, data, run, new Trainer.Options(out, false, false, 0));
        t.resumeFromLatest();
        return t.run();
    }

    /** step → loss as written (the JSON text of the double, so equality is bit equality). */
    private static Map<Long, String> losses(Path run) throws IOException {
        Map<Long, String> m = new TreeMap<>();
        for (JsonNode n : MetricsLog.read(run)) {
            if (n.has("loss")) assertEquals(null, m.put(n.path("step").asLong(), n.path("loss").toString()), "duplicate step " + n);
        }
        return m;
    }

    private static Map<Long, String> valPpl(Path run) throws IOException {
        Map<Long, String> m = new TreeMap<>();
        for (JsonNode n : MetricsLog.read(run)) if (n.has("val_ppl")) m.put(n.path("step").asLong(), n.path("val_ppl").toString());
        return m;
    }

    @Test
    void learnsAndWritesTheRunDirectory() throws IOException {
        TrainConfig.Builder b = TinyCorpus.config();
        b.steps = 40;
        Path run = tmp.resolve("run");
        Trainer.Result r = train(b.build(), run, 0);
        assertEquals(40, r.steps());
        List<JsonNode> recs = MetricsLog.read(run);
        JsonNode first = recs.stream().filter(n -> n.has("val_ppl")).findFirst().orElseThrow();
        assertTrue(r.bestValPpl() < first.path("val_ppl").asDouble(), "val ppl should fall: " + r.bestValPpl());
        JsonNode step1 = recs.getFirst();
        for (String k : List.of("step", "loss", "grad_norm", "lr", "tokens_per_s")) assertTrue(step1.has(k), k);
        for (String k : List.of("val_loss", "val_ppl", "val_bpc")) assertTrue(first.has(k), k);
        assertTrue(Files.exists(run.resolve("model.safetensors")));
        assertTrue(Files.readString(run.resolve("samples.txt")).contains("== step 8"));
        CheckpointStore store = CheckpointStore.open(run);
        assertTrue(store.entries().size() <= 4, "keep 3 best + latest: " + store.entries());
        assertTrue(store.entries().stream().anyMatch(e -> e.step() == 40));
        assertTrue(store.entries().getFirst().file().matches("ckpt-step0000\\d\\d-ppl\\d+\\.\\d\\d\\.safetensors"));
        ModelFile.LoadedModel m = ModelFile.load(run);
        assertEquals(r.bestStep(), store.byQuality().getFirst().step());
        assertTrue(m.metadata().get("split").contains("\"seed\":42"), m.metadata().get("split"));
    }

    /**
     * Runs with the default (Vector API) kernels: since VectorMath replaced lanewise EXP/TANH and reduceLanes(ADD),
     * whose bits changed when C2 compiled a kernel (5 distinct gradients over 3000 identical passes, measured),
     * resumed runs are bit-identical with them too (kernel.TierDeterminismTest checks interpreted vs compiled).
     */
    private void assertExactResume(TrainConfig cfg, long killAt) throws IOException {
        exactResume(cfg, killAt);
    }

    private void exactResume(TrainConfig cfg, long killAt) throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        train(cfg, a, 0);
        Trainer.Result killed = train(cfg, b, killAt);
        assertEquals(killAt, killed.steps());
        assertTrue(losses(b).containsKey(killAt), "the killed run logged past its checkpoint");
        resume(cfg, b, new PrintStream(PrintStream.nullOutputStream()));
        assertEquals(losses(a), losses(b));
        assertEquals(valPpl(a), valPpl(b));
        assertArrayEquals(ModelFile.load(a.resolve("model.safetensors")).model().params().data,
                ModelFile.load(b.resolve("model.safetensors")).model().params().data);
    }

    @Test
    void resumeAfterAKillRepeatsTheLossCurveBitForBitPoemMode() throws IOException {
        TrainConfig.Builder b = TinyCorpus.config();
        b.dropout = 0.2f; // exercises the dropout RNG in the checkpoint
        b.lrSchedule = io.github.yuefu.optim.LrSchedule.Kind.COSINE;
        assertExactResume(b.build(), 13); // last checkpoint at step 8, killed after 13
    }

    @Test
    void resumeAfterAKillRepeatsTheLossCurveBitForBitStreamMode() throws IOException {
        TrainConfig.Builder b = TinyCorpus.config();
        b.mode = TrainConfig.Mode.STREAM;
        b.cell = CellType.GRU;
        b.optimizer = OptimConfig.Kind.RMSPROP;
        b.epochs = 0;
        b.steps = 30;
        b.evalEvery = 10;
        assertExactResume(b.build(), 17); // carried state crosses the checkpoint at 10 and an epoch boundary
    }

    @Test
    void damagedLatestCheckpointIsRefusedAndThePreviousUsed() throws IOException {
        TrainConfig cfg = TinyCorpus.config().build();
        Path run = tmp.resolve("run");
        train(cfg, run, 20); // checkpoints at 8 and 16
        CheckpointStore store = CheckpointStore.open(run);
        Path latest = store.file(store.byRecency().getFirst());
        byte[] bytes = Files.readAllBytes(latest);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(latest, bytes);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.Result r = resume(cfg, run, new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("checksum mismatch"), text);
        assertTrue(text.contains("resumed at step 8"), text);
        assertEquals(24, r.steps());
    }

    @Test
    void divergenceRollsBackHalvesTheRateAndStopsAfterThreeRollbacks() throws IOException {
        TrainConfig.Builder b = TinyCorpus.config();
        b.optimizer = OptimConfig.Kind.SGD;
        b.momentum = 0;
        b.clip = 0;
        b.lr = 1e5; // blows up at once
        Path run = tmp.resolve("run");
        ConfigException e = assertThrows(ConfigException.class, () -> train(b.build(), run, 0));
        assertTrue(e.getMessage().contains("try a lower --lr"), e.getMessage());
        List<JsonNode> events = MetricsLog.read(run).stream().filter(n -> n.has("event")).toList();
        assertEquals(3, events.size(), events.toString());
        assertEquals(0.125, events.get(2).path("lr_scale").asDouble());
    }

    @Test
    void earlyStopAndTargetPerplexityEndTheRun() throws IOException {
        TrainConfig.Builder b = TinyCorpus.config();
        b.steps = 400;
        b.targetPpl = 1e9;
        Trainer.Result r = train(b.build(), tmp.resolve("t"), 0);
        assertEquals(8, r.steps());
        assertTrue(r.stopReason().contains("target-ppl"), r.stopReason());
        TrainConfig.Builder c = TinyCorpus.config();
        c.steps = 400;
        c.lr = 1e-9; // nothing improves after the first evaluation
        c.optimizer = OptimConfig.Kind.SGD;
        c.earlyStop = 2;
        Trainer.Result s = train(c.build(), tmp.resolve("e"), 0);
        assertTrue(s.stopReason().startsWith("early stop"), s.stopReason());
        assertFalse(s.steps() > 40, "stopped at " + s.steps());
    }
}
