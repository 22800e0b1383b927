package io.github.yuefu.kernel;

import io.github.yuefu.config.ConfigException;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;

/** Chooses a GEMM implementation by name; {@link #best()} is what models use unless told otherwise. */
public final class Gemms {
    private Gemms() {}

    /** Names accepted by {@link #forName}. */
    public static final String NAMES = "best, vector, vector-128, vector-256, vector-512, scalar";

    /**
     * The fastest correct GEMM available on this machine: the packed Vector API kernel at the preferred width
     * when the CPU has vectors of at least 128 bits, else the scalar reference.
     */
    public static Gemm best() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 128 ? VectorGemm.create() : new ScalarGemm();
    }

    /** "best", "vector" (preferred width), "vector-128|256|512", "scalar"; the message lists the names when unknown. */
    public static Gemm forName(String name) {
        return switch (name) {
            case "scalar" -> new ScalarGemm();
            case "best" -> best();
            case "vector" -> VectorGemm.create();
            case "vector-64", "vector-128", "vector-256", "vector-512" -> {
                int bits = Integer.parseInt(name.substring("vector-".length()));
                if (bits > FloatVector.SPECIES_PREFERRED.vectorBitSize()) {
                    throw new ConfigException("gemm '" + name + "' needs " + bits + "-bit vectors; this CPU has "
                            + FloatVector.SPECIES_PREFERRED.vectorBitSize() + ": use vector or best");
                }
                yield VectorGemm.of(FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(bits)));
            }
            default -> throw new ConfigException("unknown gemm '" + name + "': use one of " + NAMES);
        };
    }
}
