package io.github.yuefu.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.checkpoint.SafeTensors;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.tensor.ParamSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trained adder in one safetensors file (the checkpoint package's writer: atomic, with a SHA-256 checksum):
 * the tensors under their PyTorch names, and in the metadata {@code kind = yuefu-adder}, a format version and the
 * {@link AddConfig} it was trained with (cell, widths, digit order: everything needed to rebuild and ask it).
 */
public final class AddModelFile {
    static final String KIND = "yuefu-adder";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AddModelFile() {}

    public record Loaded(Adder adder, AddConfig config) {
        public DigitOrder order() {
            return config.order();
        }
    }

    public static void save(Path file, Adder adder, AddConfig cfg) throws IOException {
        ParamSet ps = adder.params();
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (ParamSet.View v : ps.views()) {
            tensors.put(v.name(), new SafeTensors.Tensor(v.shape(), Arrays.copyOfRange(ps.data, v.offset(), v.offset() + v.size())));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("kind", KIND);
        meta.put("format_version", Integer.toString(VERSION));
        meta.put("add_config", JSON.writeValueAsString(cfg));
        SafeTensors.write(file, tensors, meta);
    }

    /** Loads and checks a saved adder; anything wrong is a ConfigException naming the file. */
    public static Loaded load(Path file) {
        SafeTensors.Contents c = SafeTensors.read(file);
        if (!KIND.equals(c.metadata().get("kind"))) {
            throw new ConfigException(file + ": not an adder (kind '" + c.metadata().get("kind")
                    + "'); give a file written by yuefu add --save");
        }
        if (!Integer.toString(VERSION).equals(c.metadata().get("format_version"))) {
            throw new ConfigException(file + ": adder format version " + c.metadata().get("format_version")
                    + ", this yuefu reads " + VERSION);
        }
        AddConfig cfg;
        try {
            cfg = JSON.readValue(c.metadata().get("add_config"), AddConfig.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ConfigException(file + ": unreadable add_config in the metadata");
        }
        Adder adder = new Adder(cfg.cell(), cfg.embed(), cfg.hidden());
        ParamSet ps = adder.params();
        for (ParamSet.View v : ps.views()) {
            SafeTensors.Tensor t = c.tensors().get(v.name());
            if (t == null || !Arrays.equals(t.shape(), v.shape())) {
                throw new ConfigException(file + ": tensor " + v.name() + " is " + (t == null ? "missing" : Arrays.toString(t.shape()))
                        + ", the adder needs " + Arrays.toString(v.shape()));
            }
            System.arraycopy(t.data(), 0, ps.data, v.offset(), v.size());
        }
        return new Loaded(adder, cfg);
    }
}
