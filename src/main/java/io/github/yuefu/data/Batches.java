package io.github.yuefu.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A restartable, endless sequence of batches over a {@link Subset}, epoch after epoch.
 * {@link #next()} returns the batch at {@link #cursor()} and advances; after the last batch of an epoch the
 * next one is batch 0 of the next epoch. {@link #batch(int, int)} gives any batch without moving the cursor, so
 * evaluation can walk one epoch with {@link #epoch(int)}. Batch contents depend only on (data, sizes, seed, epoch,
 * index): saving the cursor and calling {@link #seek} on a new iterator resumes exactly.
 */
public interface Batches {

    int batchesPerEpoch();

    /** Batch {@code index} of {@code epoch}, freshly allocated. */
    Batch batch(int epoch, int index);

    /** Non-pad targets in one epoch (the denominator of an exact per-token validation loss). */
    long targetsPerEpoch();

    /** Share of target slots in one epoch that are padding (0 for stream batches apart from the last window). */
    double paddingFraction();

    Cursor cursor();

    /** Continues from {@code cursor} (from a checkpoint); its seed must match. */
    void seek(Cursor cursor);

    /** The batch at the cursor; advances the cursor (rolling over to the next epoch). */
    Batch next();

    /** The batches of one epoch in order (does not move the cursor). */
    default Iterable<Batch> epoch(int epoch) {
        return () -> new Iterator<>() {
            int i = 0;

            @Override
            public boolean hasNext() {
                return i < batchesPerEpoch();
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new NoSuchElementException();
                return batch(epoch, i++);
            }
        };
    }
}
