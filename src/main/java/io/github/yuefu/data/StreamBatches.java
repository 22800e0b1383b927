package io.github.yuefu.data;

import io.github.yuefu.config.ConfigException;
import java.util.Arrays;

/**
 * Stream mode (char-rnn, truncated BPTT): the subset's ranges, concatenated in order, form one token stream of N
 * tokens, cut into B contiguous streams of S = (N − 1) / B steps each; window w of T steps covers steps
 * [w·T, w·T + T) of every stream, so row b of window w+1 continues exactly where row b of window w stopped and the
 * model carries its hidden state across windows. The state is reset at the first window of every epoch.
 *
 * <pre>
 *   stream b = tokens p in [b·S, b·S + S]          (S + 1 tokens: S inputs, S targets)
 *   window w: inputs[b*T + t] = stream b step w·T + t, targets[b*T + t] = the next token
 *   the last window is padded with 0 (ignored) when T does not divide S; up to B−1 tail tokens are never targets
 * </pre>
 *
 * No shuffling (order is the point), so batches depend only on (data, B, T, index); the cursor's seed is 0.
 * Tokens are read through the subset's offsets (a prefix-sum table over ranges), never copied.
 */
public final class StreamBatches implements Batches {
    private final Subset data;
    private final int batchSize;
    private final int time;
    private final long steps;      // S: steps per stream
    private final int windows;
    private final long[] prefix;   // (ranges + 1) stream position of each range's first token
    private Cursor cursor = Cursor.start(0);

    public StreamBatches(Subset data, int batchSize, int time) {
        if (batchSize < 1) throw new ConfigException("--batch must be at least 1, got " + batchSize);
        if (time < 1) throw new ConfigException("--seq-length must be at least 1, got " + time);
        this.data = data;
        this.batchSize = batchSize;
        this.time = time;
        this.prefix = new long[data.size() + 1];
        for (int i = 0; i < data.size(); i++) prefix[i + 1] = prefix[i] + data.length(i);
        long n = prefix[data.size()];
        this.steps = (n - 1) / batchSize;
        if (steps < 1) {
            throw new ConfigException("the text has " + n + " tokens, too few for " + batchSize
                    + " parallel streams; lower --batch or use a larger corpus");
        }
        long w = (steps + time - 1) / time;
        if (w > Integer.MAX_VALUE) throw new ConfigException("too many windows; raise --seq-length");
        this.windows = (int) w;
    }

    @Override
    public int batchesPerEpoch() {
        return windows;
    }

    @Override
    public long targetsPerEpoch() {
        return steps * batchSize;
    }

    @Override
    public double paddingFraction() {
        return 1.0 - (double) steps / ((long) windows * time);
    }

    /** Steps per stream (S). */
    public long stepsPerStream() {
        return steps;
    }

    @Override
    public Cursor cursor() {
        return cursor;
    }

    @Override
    public void seek(Cursor c) {
        if (c.epoch() < 0 || c.index() < 0 || c.index() > windows) throw new ConfigException("bad data cursor " + c);
        cursor = c;
    }

    @Override
    public Batch next() {
        Cursor c = cursor.index() >= windows ? new Cursor(cursor.epoch() + 1, 0, 0) : cursor;
        Batch b = batch(c.epoch(), c.index());
        cursor = new Cursor(c.epoch(), c.index() + 1, 0);
        return b;
    }

    @Override
    public Batch batch(int epoch, int index) {
        if (index < 0 || index >= windows) throw new IndexOutOfBoundsException("window " + index + " of " + windows);
        long first = (long) index * time;
        int n = (int) Math.min(time, steps - first);   // real steps in this window
        int[] inputs = new int[batchSize * time];        // (B, T)
        int[] targets = new int[batchSize * time];       // (B, T)
        int[] row = new int[n + 1];
        for (int b = 0; b < batchSize; b++) {
            read(b * steps + first, row);
            System.arraycopy(row, 0, inputs, b * time, n);
            System.arraycopy(row, 1, targets, b * time, n);
        }
        return new Batch(batchSize, time, inputs, targets, n * batchSize, index == 0, epoch, index);
    }

    /** Copies stream tokens [pos, pos + out.length) through the range table. */
    private void read(long pos, int[] out) {
        int r = Arrays.binarySearch(prefix, pos);
        if (r < 0) r = -r - 2;
        while (r < data.size() && data.length(r) == 0) r++;   // skip empty ranges
        int[] tokens = data.corpus().tokens();
        int off = (int) (pos - prefix[r]);
        int k = 0;
        while (k < out.length) {
            int take = Math.min(out.length - k, data.length(r) - off);
            System.arraycopy(tokens, data.start(r) + off, out, k, take);
            k += take;
            r++;
            off = 0;
        }
    }
}
