package io.github.yuefu.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.checkpoint.AtomicFile;
import io.github.yuefu.checkpoint.CheckpointStore;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * A run directory: {@code run.json} (the TrainConfig, so --resume needs nothing else), {@code metrics.jsonl},
 * {@code train.log}, {@code samples.txt}, {@code checkpoints/} (+ index.json), {@code model.safetensors} (the best
 * weights, written at the end) and {@code curves.png}.
 */
public final class RunDirectory {
    static final ObjectMapper JSON = new ObjectMapper();

    private RunDirectory() {}

    /** Checks that {@code out} can hold a new run without overwriting anything (creates nothing). */
    public static void checkNew(Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new ConfigException("--out " + out + " is an existing file; give a new directory (nothing was overwritten)");
        }
        if (Files.isDirectory(out)) {
            if (CheckpointStore.isRun(out)) {
                throw new ConfigException("--out " + out + " already holds a run: continue it with --resume " + out
                        + " or choose another --out");
            }
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new ConfigException("--out " + out + " is a non-empty directory that is not a run; choose a new or empty directory");
                }
            }
        }
    }

    /** Creates the directory and writes run.json, which makes it a run. */
    public static void create(Path run, CorpusConfig corpus, TrainConfig cfg) throws IOException {
        Files.createDirectories(run);
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "yuefu-run");
        o.put("created", Instant.now().toString());
        o.set("corpus", CorpusJson.toJson(corpus));
        o.set("config", JSON.valueToTree(cfg));
        AtomicFile.writeString(run.resolve(CheckpointStore.RUN_MARKER), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    /** The corpus settings of an existing run. */
    public static CorpusConfig readCorpus(Path run) {
        Path p = run.resolve(CheckpointStore.RUN_MARKER);
        try {
            return CorpusJson.fromJson(JSON.readTree(p.toFile()).path("corpus"));
        } catch (IOException e) {
            throw new ConfigException(p + ": unreadable run config (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    public static String configJson(TrainConfig cfg) {
        return JSON.valueToTree(cfg).toString();
    }

    /** The TrainConfig of an existing run; a directory that is not a run is a ConfigException. */
    public static TrainConfig readConfig(Path run) {
        CheckpointStore.open(run); // validates "is a run"
        Path p = run.resolve(CheckpointStore.RUN_MARKER);
        try {
            JsonNode root = JSON.readTree(p.toFile());
            return JSON.treeToValue(root.path("config"), TrainConfig.class);
        } catch (ConfigException e) {
            throw new ConfigException(p + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(p + ": unreadable run config (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
