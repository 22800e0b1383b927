package io.github.yuefu.train;

/**
 * Stream mode: the token stream is cut into B contiguous streams of length ⌊(N−1)/B⌋ and each batch is the next
 * window of T tokens of every stream, so row b of batch w+1 continues row b of batch w and the hidden state can be
 * carried across (truncated BPTT). The tail that does not fill a window is dropped each epoch.
 *
 * <p>Kept deliberately small; the data package's batcher replaces it where available.
 */
public final class StreamBatchSource implements BatchSource {
    private final int[] tokens; // (N) the whole encoded text
    private final int batchSize, seq, streamLen, windows;
    private long epoch;
    private int index;

    public StreamBatchSource(int[] tokens, int batchSize, int seq) {
        int b = batchSize;
        // A small split (validation) may not fill B streams of one window: use fewer, shorter streams.
        while (b > 1 && (tokens.length - 1) / b < seq) b--;
        this.tokens = tokens;
        this.batchSize = b;
        this.streamLen = (tokens.length - 1) / b;
        this.seq = Math.min(seq, streamLen);
        this.windows = this.seq == 0 ? 0 : streamLen / this.seq;
        if (windows == 0) throw new io.github.yuefu.config.ConfigException("text too short for stream mode: " + tokens.length + " tokens");
    }

    @Override
    public boolean next(Batch out) {
        if (index >= windows) {
            epoch++;
            index = 0;
            return false;
        }
        out.shape(batchSize, seq);
        for (int b = 0; b < batchSize; b++) {
            int from = b * streamLen + index * seq;
            System.arraycopy(tokens, from, out.inputs, b * seq, seq);
            System.arraycopy(tokens, from + 1, out.targets, b * seq, seq);
        }
        index++;
        return true;
    }

    @Override
    public boolean carriesState() {
        return true;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public long batchesPerEpoch() {
        return windows;
    }

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public long[] cursor() {
        return new long[] {epoch, index};
    }

    @Override
    public void restore(long[] c) {
        epoch = c[0];
        index = (int) c[1];
    }
}
