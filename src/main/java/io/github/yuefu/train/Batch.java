package io.github.yuefu.train;

/**
 * One training window: {@code batch} rows of {@code time} input ids and the ids that follow them, row-major
 * ({@code b·T + t}). Padding targets are {@link io.github.yuefu.text.Vocabulary#PAD} and do not count in the loss.
 * The arrays grow as needed and are reused from batch to batch.
 */
public final class Batch {
    public int batch;                  // B rows in this batch
    public int time;                   // T steps
    public int[] inputs = new int[0];  // (B, T) input ids
    public int[] targets = new int[0]; // (B, T) next ids, PAD where ignored

    /** Makes room for (B, T) and sets the shape; contents are the caller's to fill. */
    public void shape(int b, int t) {
        batch = b;
        time = t;
        if (inputs.length < b * t) {
            inputs = new int[b * t];
            targets = new int[b * t];
        }
    }

    public int tokens() {
        return batch * time;
    }
}
