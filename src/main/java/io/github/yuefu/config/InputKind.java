package io.github.yuefu.config;

/** How token ids enter layer 0: a learned embedding table, or one-hot (a column gather into weight_ih_l0). */
public enum InputKind {
    EMBEDDING,
    ONEHOT;

    public static InputKind parse(String s) {
        for (InputKind k : values()) {
            if (k.name().equalsIgnoreCase(s.trim().replace("-", ""))) return k;
        }
        throw new ConfigException("unknown input '" + s + "': use embedding or onehot");
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
