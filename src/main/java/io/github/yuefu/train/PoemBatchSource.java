package io.github.yuefu.train;

import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Poem mode: every document is one sequence G…E, padded to the longest in its batch. Each epoch the documents are
 * shuffled with a RNG seeded from (seed, epoch), then bucketed — sorted by length within windows of 32 batches —
 * so a batch holds poems of similar length and little padding; batch order within a window is shuffled again.
 *
 * <p>Kept deliberately small; the data package's batcher replaces it where available.
 */
public final class PoemBatchSource implements BatchSource {
    private static final int BUCKET_BATCHES = 32;
    private final List<int[]> docs; // encoded documents, without G/E
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private long epoch;
    private int index;
    private int[][] order;          // batches of the current epoch: document indices per batch

    public PoemBatchSource(List<int[]> docs, int batchSize, long seed, boolean shuffle) {
        if (docs.isEmpty()) throw new io.github.yuefu.config.ConfigException("no documents to batch: the corpus split is empty");
        this.docs = docs;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.order = plan(0);
    }

    private int[][] plan(long e) {
        int n = docs.size();
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + e);
        if (shuffle) shuffle(idx, r);
        List<int[]> batches = new ArrayList<>();
        int window = batchSize * BUCKET_BATCHES;
        for (int w = 0; w < n; w += window) {
            Integer[] chunk = Arrays.copyOfRange(idx, w, Math.min(n, w + window));
            Arrays.sort(chunk, (a, b) -> Integer.compare(docs.get(a).length, docs.get(b).length));
            List<int[]> local = new ArrayList<>();
            for (int s = 0; s < chunk.length; s += batchSize) {
                int[] b = new int[Math.min(batchSize, chunk.length - s)];
                for (int k = 0; k < b.length; k++) b[k] = chunk[s + k];
                local.add(b);
            }
            if (shuffle) {
                int[][] arr = local.toArray(new int[0][]);
                shuffle(arr, r);
                local = Arrays.asList(arr);
            }
            batches.addAll(local);
        }
        return batches.toArray(new int[0][]);
    }

    private static <T> void shuffle(T[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            T t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    @Override
    public boolean next(Batch out) {
        if (index >= order.length) {
            epoch++;
            index = 0;
            order = plan(epoch);
            return false;
        }
        int[] rows = order[index++];
        int maxLen = 0;
        for (int d : rows) maxLen = Math.max(maxLen, docs.get(d).length);
        int T = maxLen + 1; // G + doc as inputs, doc + E as targets
        out.shape(rows.length, T);
        Arrays.fill(out.inputs, 0, rows.length * T, Vocabulary.PAD);
        Arrays.fill(out.targets, 0, rows.length * T, Vocabulary.PAD);
        for (int b = 0; b < rows.length; b++) {
            int[] doc = docs.get(rows[b]);
            int o = b * T;
            out.inputs[o] = Vocabulary.BEGIN;
            System.arraycopy(doc, 0, out.inputs, o + 1, doc.length);
            System.arraycopy(doc, 0, out.targets, o, doc.length);
            out.targets[o + doc.length] = Vocabulary.END;
        }
        return true;
    }

    @Override
    public boolean carriesState() {
        return false;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public long batchesPerEpoch() {
        return order.length;
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
        order = plan(epoch);
    }
}
