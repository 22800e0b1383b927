package io.github.yuefu.config;

/**
 * The architecture of a language model: input (embedding E or one-hot V) → {@code layers} recurrent layers of
 * width {@code hidden} → linear (H → V) → log-softmax. Dropout is applied between recurrent layers and before
 * the output projection during training only (as char-rnn and PyTorch's {@code nn.LSTM(dropout=…)} + one more).
 *
 * @param embed embedding width E; ignored (0) for one-hot input, where layer 0's input width is V
 */
public record ModelConfig(CellType cell, int layers, int vocab, InputKind input, int embed, int hidden, float dropout) {

    public ModelConfig {
        if (cell == null) throw new ConfigException("--cell is required: rnn, lstm or gru");
        if (input == null) throw new ConfigException("input kind is required: embedding or onehot");
        if (layers < 1 || layers > 16) throw new ConfigException("--layers must be 1..16, got " + layers);
        if (vocab < 2) throw new ConfigException("vocabulary size must be at least 2, got " + vocab);
        if (hidden < 1 || hidden > 16384) throw new ConfigException("--hidden must be 1..16384, got " + hidden);
        if (input == InputKind.EMBEDDING && (embed < 1 || embed > 16384)) {
            throw new ConfigException("--embed must be 1..16384, got " + embed);
        }
        if (input == InputKind.ONEHOT) embed = 0;
        if (!(dropout >= 0f && dropout < 1f)) throw new ConfigException("--dropout must be in [0, 1), got " + dropout);
    }

    /** Width of layer 0's input: E for an embedding, V for one-hot. */
    public int inputSize() {
        return input == InputKind.ONEHOT ? vocab : embed;
    }

    /** Width of layer k's input. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize() : hidden;
    }

    public ModelConfig withVocab(int v) {
        return new ModelConfig(cell, layers, v, input, embed, hidden, dropout);
    }
}
