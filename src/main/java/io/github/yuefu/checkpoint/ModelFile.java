package io.github.yuefu.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.tensor.ParamSet;
import io.github.yuefu.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A yuefu model file: the model's parameters under their PyTorch names ({@code embedding.weight},
 * {@code rnn.weight_ih_l0}…, {@code output.weight}) in the safetensors layout, and in the metadata everything needed
 * to use them: the config, the vocabulary, the data split, the format version, a checksum, the tool name.
 * A training checkpoint is a model file with more tensors ({@code optim.*}, {@code state.*}) and a
 * {@code training} metadata entry; every model loader accepts both.
 *
 * <p>{@link #load(Path)} is the one entry point for "--model": a model file, or a run directory (its best checkpoint).
 */
public final class ModelFile {
    /** Bump when a reader of the previous version could not read the new files. */
    public static final int FORMAT_VERSION = 1;
    public static final String FORMAT = "yuefu";

    public static final String META_FORMAT = "format";
    public static final String META_VERSION = "format_version";
    public static final String META_TOOL = "tool";
    public static final String META_KIND = "kind";
    public static final String META_CONFIG = "config";
    public static final String META_VOCAB = "vocabulary";
    public static final String META_SPLIT = "split";

    private ModelFile() {}

    /** A model ready to use, with where it came from and its metadata (split, training history…). */
    public record LoadedModel(Path file, ModelConfig config, Vocabulary vocabulary, LanguageModel model,
                              Map<String, String> metadata, Map<String, SafeTensors.Tensor> extraTensors) {
        /** A metadata entry parsed as JSON, or null when absent. */
        public JsonNode json(String key) {
            String s = metadata.get(key);
            if (s == null) return null;
            try {
                return SafeTensors.JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw new ConfigException(file + ": metadata '" + key + "' is not valid JSON; the file is damaged");
            }
        }
    }

    /** Saves params + metadata (config, vocabulary, format, tool) + {@code extraMeta}, plus any extra tensors. */
    public static void save(Path file, LanguageModel model, Vocabulary vocab, Map<String, String> extraMeta,
                            Map<String, SafeTensors.Tensor> extraTensors) throws IOException {
        if (vocab.size() != model.config().vocab()) {
            throw new IllegalArgumentException("vocabulary size " + vocab.size() + " != model vocab " + model.config().vocab());
        }
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        ParamSet ps = model.params();
        for (ParamSet.View v : ps.views()) {
            tensors.put(v.name(), new SafeTensors.Tensor(v.shape(), Arrays.copyOfRange(ps.data, v.offset(), v.offset() + v.size())));
        }
        tensors.putAll(extraTensors);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(META_FORMAT, FORMAT);
        meta.put(META_VERSION, Integer.toString(FORMAT_VERSION));
        meta.put(META_TOOL, toolName());
        meta.put(META_KIND, "model");
        meta.put(META_CONFIG, configJson(model.config()));
        meta.put(META_VOCAB, vocabJson(vocab));
        meta.putAll(extraMeta);
        SafeTensors.write(file, tensors, meta);
    }

    public static void save(Path file, LanguageModel model, Vocabulary vocab, Map<String, String> extraMeta) throws IOException {
        save(file, model, vocab, extraMeta, Map.of());
    }

    /**
     * Loads a model file, or a run directory's best checkpoint (falling back to the next best when one is damaged,
     * with a warning on stderr).
     */
    public static LoadedModel load(Path pathOrRunDir) {
        return load(pathOrRunDir, msg -> System.err.println("yuefu: warning: " + msg));
    }

    public static LoadedModel load(Path pathOrRunDir, Consumer<String> warn) {
        if (Files.isDirectory(pathOrRunDir)) {
            CheckpointStore store = CheckpointStore.open(pathOrRunDir);
            return store.loadFirstGood(store.byQuality(), ModelFile::loadFile, warn);
        }
        if (!Files.exists(pathOrRunDir)) {
            throw new ConfigException(pathOrRunDir + ": no such model file or run directory");
        }
        return loadFile(pathOrRunDir);
    }

    /** Loads exactly this file (no run-directory logic). */
    public static LoadedModel loadFile(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, String> meta = c.metadata();
        checkFormat(file, meta);
        ModelConfig cfg = parseConfig(file, meta.get(META_CONFIG));
        Vocabulary vocab = parseVocab(file, meta.get(META_VOCAB));
        if (vocab.size() != cfg.vocab()) {
            throw new ConfigException(file + ": vocabulary has " + vocab.size() + " tokens but the config says " + cfg.vocab());
        }
        LanguageModel model = new LanguageModel(cfg);
        ParamSet ps = model.params();
        Map<String, SafeTensors.Tensor> extra = new LinkedHashMap<>(c.tensors());
        for (ParamSet.View v : ps.views()) {
            SafeTensors.Tensor t = extra.remove(v.name());
            if (t == null) throw new ConfigException(file + ": tensor '" + v.name() + "' is missing; the file is damaged");
            if (!Arrays.equals(t.shape(), v.shape())) {
                throw new ConfigException(file + ": tensor '" + v.name() + "' has shape " + Arrays.toString(t.shape())
                        + ", the config needs " + Arrays.toString(v.shape()));
            }
            System.arraycopy(t.data(), 0, ps.data, v.offset(), v.size());
        }
        return new LoadedModel(file, cfg, vocab, model, meta, extra);
    }

    static void checkFormat(Path file, Map<String, String> meta) {
        if (!FORMAT.equals(meta.get(META_FORMAT))) {
            String tool = meta.get(META_TOOL);
            throw new ConfigException(file + ": not a yuefu model file (written by " + (tool == null ? "another tool" : tool)
                    + "); yuefu needs its config and vocabulary in the metadata");
        }
        int version;
        try {
            version = Integer.parseInt(meta.getOrDefault(META_VERSION, "?"));
        } catch (NumberFormatException e) {
            throw new ConfigException(file + ": bad format_version '" + meta.get(META_VERSION) + "'");
        }
        if (version > FORMAT_VERSION) {
            throw new ConfigException(file + ": written by a newer yuefu (model format " + version + "; this yuefu reads up to "
                    + FORMAT_VERSION + "): upgrade yuefu to use it");
        }
    }

    public static String toolName() {
        String v = ModelFile.class.getPackage().getImplementationVersion();
        return "yuefu " + (v == null ? "dev" : v);
    }

    public static String configJson(ModelConfig c) {
        ObjectNode o = SafeTensors.JSON.createObjectNode();
        o.put("cell", c.cell().id());
        o.put("layers", c.layers());
        o.put("vocab", c.vocab());
        o.put("input", c.input().id());
        o.put("embed", c.embed());
        o.put("hidden", c.hidden());
        o.put("dropout", c.dropout());
        return o.toString();
    }

    public static ModelConfig parseConfig(Path file, String json) {
        if (json == null) throw new ConfigException(file + ": metadata has no model config; the file is damaged");
        try {
            JsonNode o = SafeTensors.JSON.readTree(json);
            return new ModelConfig(CellType.parse(o.path("cell").asText()), o.path("layers").asInt(),
                    o.path("vocab").asInt(), InputKind.parse(o.path("input").asText()), o.path("embed").asInt(),
                    o.path("hidden").asInt(), (float) o.path("dropout").asDouble());
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": model config in the metadata is not JSON; the file is damaged");
        } catch (ConfigException e) {
            throw new ConfigException(file + ": bad model config in the metadata: " + e.getMessage());
        }
    }

    public static String vocabJson(Vocabulary v) {
        ArrayNode a = SafeTensors.JSON.createArrayNode();
        for (String t : v.tokens()) a.add(t);
        return a.toString();
    }

    public static Vocabulary parseVocab(Path file, String json) {
        if (json == null) throw new ConfigException(file + ": metadata has no vocabulary; the file is damaged");
        try {
            JsonNode a = SafeTensors.JSON.readTree(json);
            List<String> tokens = new ArrayList<>(a.size());
            for (JsonNode t : a) tokens.add(t.asText());
            return new Vocabulary(tokens);
        } catch (JsonProcessingException e) {
            throw new ConfigException(file + ": vocabulary in the metadata is not JSON; the file is damaged");
        }
    }
}
