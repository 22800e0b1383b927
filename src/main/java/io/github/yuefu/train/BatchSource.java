package io.github.yuefu.train;

/**
 * An endless sequence of epochs of batches, restartable from a saved cursor so a resumed run sees exactly the
 * batches an uninterrupted one would. Implementations are seeded: epoch e's order depends only on (seed, e).
 */
public interface BatchSource {

    /** Fills {@code out} with the next batch of the current epoch; false at the epoch's end (the next call starts the next epoch). */
    boolean next(Batch out);

    /** True in stream mode: the hidden state carries from batch to batch (truncated BPTT) and resets at an epoch's start. */
    boolean carriesState();

    /** Largest number of rows a batch has (the carried state's B). */
    int batchSize();

    /** Batches in one epoch (for progress and ETA). */
    long batchesPerEpoch();

    /** Zero-based epoch of the batch returned last (or about to be returned). */
    long epoch();

    /** Position: enough to continue exactly (epoch, batch index within it). */
    long[] cursor();

    void restore(long[] cursor);

    /** Back to the start of epoch 0 (evaluation passes use this). */
    default void rewind() {
        restore(new long[] {0, 0});
    }
}
