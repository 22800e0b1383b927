package io.github.yuefu.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One PyTorch reference case (the format of {@code ../shared/reference/README.md}): a tiny model, one batch, and
 * the float64 loss, log-probs, gradients and final state PyTorch computed for it. {@link #load} validates
 * everything and reports the first problem as a one-line {@link ConfigException} naming the file.
 *
 * @param initialH (L, B, H) given initial h, or null for zeros; initialC likewise (LSTM only)
 * @param finalState expected final "h" (and "c"), or empty when the case has none
 */
public record ReferenceCase(Path file, String name, ModelConfig config, int batch, int time, int pad,
                            int[] inputs, int[] targets, Map<String, Tensor> params,
                            Tensor initialH, Tensor initialC,
                            double loss, Tensor logProbs, Map<String, Tensor> grads, Map<String, Tensor> finalState) {

    /** A float64 tensor from the file: row-major data and its shape. */
    public record Tensor(int[] shape, double[] data) {
        public String shapeString() {
            return Arrays.toString(shape);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and validates a case; every problem is a one-line ConfigException that names the file. */
    public static ReferenceCase load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().lines().findFirst().orElse("");
            int cut = why.indexOf(" (");
            if (cut > 0) why = why.substring(0, cut);
            long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new ConfigException(file + ": not valid JSON: " + why + (line > 0 ? " (line " + line + ")" : ""));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return new Parser(file).parse(root);
    }

    /** Walks the JSON tree; fail(...) prefixes the file name. */
    private static final class Parser {
        private final Path file;

        Parser(Path file) {
            this.file = file;
        }

        ConfigException fail(String what) {
            return new ConfigException(file + ": " + what);
        }

        JsonNode field(JsonNode node, String name, String where) {
            JsonNode v = node == null ? null : node.get(name);
            if (v == null || v.isNull()) throw fail("missing " + where + name);
            return v;
        }

        int integer(JsonNode node, String name, String where) {
            JsonNode v = field(node, name, where);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) throw fail(where + name + " must be an integer, got " + v);
            return v.intValue();
        }

        String text(JsonNode node, String name, String where) {
            JsonNode v = field(node, name, where);
            if (!v.isTextual()) throw fail(where + name + " must be a string, got " + v);
            return v.textValue();
        }

        Tensor tensor(JsonNode node, String name, String where, int... expectedShape) {
            JsonNode t = field(node, name, where);
            String full = where + name;
            JsonNode shapeNode = field(t, "shape", full + ".");
            JsonNode dataNode = field(t, "data", full + ".");
            if (!shapeNode.isArray() || !dataNode.isArray()) throw fail(full + ": shape and data must be arrays");
            int[] shape = new int[shapeNode.size()];
            long size = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || d.intValue() < 0) throw fail(full + ": bad shape " + shapeNode);
                shape[i] = d.intValue();
                size *= shape[i];
            }
            if (expectedShape != null && !Arrays.equals(shape, expectedShape)) {
                throw fail(full + " has shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(expectedShape));
            }
            if (dataNode.size() != size) {
                throw fail(full + " has " + dataNode.size() + " values, its shape " + Arrays.toString(shape) + " needs " + size);
            }
            double[] data = new double[(int) size];
            for (int i = 0; i < data.length; i++) {
                JsonNode d = dataNode.get(i);
                if (!d.isNumber()) throw fail(full + ".data[" + i + "] is not a number: " + d);
                data[i] = d.doubleValue();
            }
            return new Tensor(shape, data);
        }

        int[] ids(JsonNode root, String name, int b, int t, int vocab, int pad, boolean padAllowed) {
            Tensor x = tensor(root, name, "", b, t);
            int[] out = new int[x.data.length];
            for (int i = 0; i < out.length; i++) {
                double d = x.data[i];
                if (d != Math.rint(d)) throw fail(name + ".data[" + i + "] is not an integer id: " + d);
                out[i] = (int) d;
                boolean ok = (out[i] >= 0 && out[i] < vocab) || (padAllowed && out[i] == pad);
                if (!ok) throw fail(name + ".data[" + i + "] = " + out[i] + " is outside the vocabulary [0, " + vocab + ")");
            }
            return out;
        }

        ReferenceCase parse(JsonNode root) {
            if (!root.isObject()) throw fail("not a reference case (expected a JSON object with config, inputs, params, expected)");
            JsonNode cfg = field(root, "config", "");
            String w = "config.";
            CellType cell;
            InputKind input;
            try {
                cell = CellType.parse(text(cfg, "cell", w));
                input = InputKind.parse(text(cfg, "input", w));
            } catch (ConfigException e) {
                throw fail(e.getMessage());
            }
            int layers = integer(cfg, "layers", w), vocab = integer(cfg, "vocab", w), hidden = integer(cfg, "hidden", w);
            int embed = input == InputKind.EMBEDDING ? integer(cfg, "embed", w) : 0;
            int b = integer(cfg, "batch", w), t = integer(cfg, "seq", w), pad = integer(cfg, "pad", w);
            if (b < 1 || t < 1) throw fail("config.batch and config.seq must be ≥ 1, got " + b + " and " + t);
            String init = text(cfg, "initial_state", w);
            if (!init.equals("zeros") && !init.equals("given")) {
                throw fail("config.initial_state must be \"zeros\" or \"given\", got \"" + init + "\"");
            }
            ModelConfig mc;
            try {
                mc = new ModelConfig(cell, layers, vocab, input, embed, hidden, 0f);
            } catch (ConfigException e) {
                throw fail("bad config: " + e.getMessage());
            }
            if (cfg.has("lengths") && !cfg.get("lengths").isNull()) {
                JsonNode len = cfg.get("lengths");
                if (!len.isArray() || len.size() != b) throw fail("config.lengths must list " + b + " lengths, got " + len);
            }
            int[] inputs = ids(root, "inputs", b, t, vocab, pad, false);
            int[] targets = ids(root, "targets", b, t, vocab, pad, true);

            ModelConfig layoutConfig = mc;
            Map<String, Tensor> params = new LinkedHashMap<>();
            JsonNode p = field(root, "params", "");
            var layout = LanguageModel.layout(layoutConfig);
            for (var v : layout.views()) params.put(v.name(), tensor(p, v.name(), "params.", v.shape()));
            p.fieldNames().forEachRemaining(n -> {
                if (!layout.has(n)) throw fail("params." + n + " is not a parameter of this config (have " + params.keySet() + ")");
            });

            Tensor h0 = null, c0 = null;
            if (init.equals("given")) {
                JsonNode s = field(root, "initial_state", "");
                h0 = tensor(s, "h", "initial_state.", layers, b, hidden);
                if (cell == CellType.LSTM) c0 = tensor(s, "c", "initial_state.", layers, b, hidden);
            }

            JsonNode exp = field(root, "expected", "");
            JsonNode lossNode = field(exp, "loss", "expected.");
            if (!lossNode.isNumber()) throw fail("expected.loss must be a number, got " + lossNode);
            Tensor logProbs = tensor(exp, "log_probs", "expected.", b, t, vocab);
            Map<String, Tensor> grads = new LinkedHashMap<>();
            JsonNode g = field(exp, "grads", "expected.");
            for (var v : layout.views()) grads.put(v.name(), tensor(g, v.name(), "expected.grads.", v.shape()));
            Map<String, Tensor> fin = new LinkedHashMap<>();
            if (exp.has("final_state") && !exp.get("final_state").isNull()) {
                JsonNode f = exp.get("final_state");
                fin.put("h", tensor(f, "h", "expected.final_state.", layers, b, hidden));
                if (cell == CellType.LSTM) fin.put("c", tensor(f, "c", "expected.final_state.", layers, b, hidden));
            }
            String name = root.hasNonNull("name") ? root.get("name").asText() : file.getFileName().toString();
            return new ReferenceCase(file, name, mc, b, t, pad, inputs, targets, params, h0, c0,
                    lossNode.doubleValue(), logProbs, grads, fin);
        }
    }
}
