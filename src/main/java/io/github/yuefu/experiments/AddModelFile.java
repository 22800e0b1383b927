package io.github.yuefu.experiments;

import io.github.yuefu.config.ConfigException;
import java.nio.file.Path;

/** TEMPORARY: saving adders waits for the checkpoint package's safetensors writer. */
public final class AddModelFile {
    private AddModelFile() {}

    public record Loaded(Adder adder, AddConfig config, DigitOrder order) {}

    public static void save(Path file, Adder adder, AddConfig cfg) {
        throw new ConfigException("--save is not available yet");
    }

    public static Loaded load(Path file) {
        throw new ConfigException("--model is not available yet");
    }
}
