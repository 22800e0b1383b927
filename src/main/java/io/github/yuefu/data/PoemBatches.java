package io.github.yuefu.data;

import io.github.yuefu.config.ConfigException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Poem mode: each document (G … E) is one row; a batch holds B documents of similar length, padded to the longest.
 *
 * <pre>
 *   row of a poem of L tokens (G c1 … cn E, L = n + 2), T = longest L in the batch − 1:
 *   inputs  G  c1 … cn  0 … 0
 *   targets c1 c2 … E   0 … 0      (targets = inputs shifted by one; 0 = pad, ignored)
 * </pre>
 *
 * Each epoch (when shuffling) permutes the documents with a {@link SplittableRandom} seeded by (seed, epoch), sorts
 * each window of {@link #BUCKET_BATCHES}·B documents by length (the bucketing that keeps padding low: ~1 % on the
 * Tang corpus instead of ~40 %), cuts batches of B and shuffles the batches inside each window, windows in turn (as
 * torchtext's bucket iterator and bench/torch_train.py do). So every run of {@link #BUCKET_BATCHES} steps sees one
 * window: a random sample of the corpus, short and long poems alike; a global shuffle of the batches lets the last
 * steps before an evaluation lean to one length or form, which a constant learning rate then shows in the held-out
 * loss. Without shuffling (validation) all documents are sorted by length once. The epoch's plan (an index array,
 * O(documents)) is cached; no token is copied.
 */
public final class PoemBatches implements Batches {
    /** Bucket width in batches: larger = less padding, less randomness in batch composition. */
    public static final int BUCKET_BATCHES = 32;
    /** Longer documents do not belong in poem mode: a (B, T) batch that long wastes memory on padding. */
    public static final int MAX_DOCUMENT_TOKENS = 4096;

    private final Subset data;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final int batches;
    private final long targets;

    private int planEpoch = -1;
    private int[] order;        // (documents) range indices in batch order
    private int[] batchStart;   // (batches + 1) batch k = order[batchStart[k], batchStart[k+1])
    private Cursor cursor;

    /** Shuffled batches (training). */
    public PoemBatches(Subset data, int batchSize, long seed) {
        this(data, batchSize, seed, true);
    }

    /** @param shuffle false for validation/evaluation: length-sorted, the same order every epoch */
    public PoemBatches(Subset data, int batchSize, long seed, boolean shuffle) {
        if (batchSize < 1) throw new ConfigException("--batch must be at least 1, got " + batchSize);
        if (data.size() == 0) throw new ConfigException("no documents to batch (is the validation fraction 0?)");
        int longest = data.maxLength();
        if (longest > MAX_DOCUMENT_TOKENS) {
            throw new ConfigException("a document has " + longest + " tokens, too long for poem batches (at most "
                    + MAX_DOCUMENT_TOKENS + "); use stream mode, --unit line/block, or --max-length");
        }
        if (longest < 2) throw new ConfigException("documents need at least 2 tokens for poem batches");
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.batches = (data.size() + batchSize - 1) / batchSize;
        this.targets = data.tokenCount() - data.size();
        this.cursor = Cursor.start(seed);
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    @Override
    public long targetsPerEpoch() {
        return targets;
    }

    @Override
    public Cursor cursor() {
        return cursor;
    }

    @Override
    public void seek(Cursor c) {
        if (c.seed() != seed) {
            throw new ConfigException("the data cursor was saved with seed " + c.seed() + " but these batches use " + seed
                    + "; resume with the same --seed");
        }
        if (c.epoch() < 0 || c.index() < 0 || c.index() > batches) throw new ConfigException("bad data cursor " + c);
        cursor = c;
    }

    @Override
    public Batch next() {
        Cursor c = cursor.index() >= batches ? new Cursor(cursor.epoch() + 1, 0, seed) : cursor;
        Batch b = batch(c.epoch(), c.index());
        cursor = new Cursor(c.epoch(), c.index() + 1, seed);
        return b;
    }

    @Override
    public synchronized Batch batch(int epoch, int index) {
        if (index < 0 || index >= batches) throw new IndexOutOfBoundsException("batch " + index + " of " + batches);
        plan(epoch);
        int from = batchStart[index];
        int rows = batchStart[index + 1] - from;
        int time = 0;
        for (int r = 0; r < rows; r++) time = Math.max(time, data.length(order[from + r]) - 1);
        int[] inputs = new int[rows * time];    // (B, T) zero = pad
        int[] targets = new int[rows * time];   // (B, T) zero = ignored
        int[] tokens = data.corpus().tokens();
        int count = 0;
        for (int r = 0; r < rows; r++) {
            int d = order[from + r];
            int s = data.start(d);
            int n = data.length(d) - 1;   // steps of this poem
            System.arraycopy(tokens, s, inputs, r * time, n);
            System.arraycopy(tokens, s + 1, targets, r * time, n);
            count += n;
        }
        return new Batch(rows, time, inputs, targets, count, true, epoch, index);
    }

    /** Padding share over the target slots of epoch 0's plan (later epochs differ by a hair). */
    @Override
    public synchronized double paddingFraction() {
        plan(0);
        long slots = 0;
        for (int k = 0; k < batches; k++) {
            int time = 0;
            for (int i = batchStart[k]; i < batchStart[k + 1]; i++) time = Math.max(time, data.length(order[i]) - 1);
            slots += (long) time * (batchStart[k + 1] - batchStart[k]);
        }
        return slots == 0 ? 0 : 1.0 - (double) targets / slots;
    }

    private void plan(int epoch) {
        if (epoch == planEpoch || (!shuffle && order != null)) return;
        int n = data.size();
        int[] docs;
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(seed, epoch));
            docs = Split.permutation(n, rng);
            int bucket = batchSize * BUCKET_BATCHES;
            for (int from = 0; from < n; from += bucket) sortByLength(docs, from, Math.min(n, from + bucket));
            order = new int[n];
            // Batch k of window w: windows start at multiples of BUCKET_BATCHES batches (bucket is a multiple of B).
            int[] batchOrder = new int[batches];
            for (int w = 0; w < batches; w += BUCKET_BATCHES) {
                int[] local = Split.permutation(Math.min(BUCKET_BATCHES, batches - w), rng);
                for (int i = 0; i < local.length; i++) batchOrder[w + i] = w + local[i];
            }
            batchStart = new int[batches + 1];
            int pos = 0;
            for (int k = 0; k < batches; k++) {
                int src = batchOrder[k] * batchSize;
                int rows = Math.min(batchSize, n - src);
                System.arraycopy(docs, src, order, pos, rows);
                batchStart[k] = pos;
                pos += rows;
            }
            batchStart[batches] = pos;
        } else {
            docs = new int[n];
            for (int i = 0; i < n; i++) docs[i] = i;
            sortByLength(docs, 0, n);
            order = docs;
            batchStart = new int[batches + 1];
            for (int k = 0; k <= batches; k++) batchStart[k] = Math.min(n, k * batchSize);
        }
        planEpoch = epoch;
    }

    /** Stable sort of docs[from, to) by range length: pack (length, position) into longs and sort those. */
    private void sortByLength(int[] docs, int from, int to) {
        long[] keys = new long[to - from];
        for (int i = from; i < to; i++) keys[i - from] = ((long) data.length(docs[i]) << 32) | (i - from);
        Arrays.sort(keys);
        int[] copy = Arrays.copyOfRange(docs, from, to);
        for (int i = 0; i < keys.length; i++) docs[from + i] = copy[(int) keys[i]];
    }

    /** Per-epoch seed: a SplitMix64 finaliser of (seed, epoch), so nearby seeds and epochs give unrelated orders. */
    static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
