package io.github.yuefu.data;

/**
 * Where a {@link Batches} iterator stands: the next batch is {@code (epoch, index)}. Each epoch's order is a pure
 * function of {@code (seed, epoch)}, so this is all a checkpoint needs to resume on exactly the next batch.
 *
 * @param seed the shuffling seed (0 for stream batches, which do not shuffle); checked on {@link Batches#seek}
 */
public record Cursor(int epoch, int index, long seed) {
    public static Cursor start(long seed) {
        return new Cursor(0, 0, seed);
    }
}
