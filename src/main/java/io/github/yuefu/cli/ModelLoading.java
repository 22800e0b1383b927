package io.github.yuefu.cli;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.generate.WriteModel;
import java.nio.file.Path;

/** Model files → {@link WriteModel}; wired to the checkpoint package's loader once it is available. */
final class ModelLoading {
    private ModelLoading() {}

    static WriteModel load(Path path) {
        throw new ConfigException(path + ": this build cannot read model files yet");
    }
}
