package io.github.yuefu.kernel;

import io.github.yuefu.config.ConfigException;

/** Chooses a GEMM implementation by name; {@link #best()} is what models use unless told otherwise. */
public final class Gemms {
    private Gemms() {}

    /** The fastest GEMM available on this machine. */
    public static Gemm best() {
        return new ScalarGemm();
    }

    /** "scalar" or "best"; the message lists the names when unknown. */
    public static Gemm forName(String name) {
        return switch (name) {
            case "scalar" -> new ScalarGemm();
            case "best" -> best();
            default -> throw new ConfigException("unknown gemm '" + name + "': use scalar or best");
        };
    }
}
