package io.github.yuefu.config;

/** The recurrent cell of a layer; {@code gates} is G in the (G·H, in) weight layouts PyTorch uses. */
public enum CellType {
    /** Elman RNN with tanh: h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
    RNN(1),
    /** LSTM, gates in PyTorch order i, f, g, o. */
    LSTM(4),
    /** GRU, gates in PyTorch order r, z, n, with r applied after the hidden product (PyTorch's form). */
    GRU(3);

    public final int gates;

    CellType(int gates) {
        this.gates = gates;
    }

    /** Parses "rnn", "lstm", "gru" (any case); the message names the accepted values. */
    public static CellType parse(String s) {
        for (CellType c : values()) {
            if (c.name().equalsIgnoreCase(s.trim())) return c;
        }
        throw new ConfigException("unknown cell '" + s + "': use rnn, lstm or gru");
    }

    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
