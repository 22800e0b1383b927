package io.github.yuefu.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchesTest {

    @Test
    void poemBatchesCoverEveryPoemOncePerEpochShiftedAndPadded() {
        List<String> docs = DataTestCorpus.documents(103, 3, 30, 5);
        EncodedCorpus c = DataTestCorpus.encoded(docs);
        PoemBatches pb = new PoemBatches(c.all(), 8, 11);
        assertEquals(13, pb.batchesPerEpoch());
        Map<String, Integer> seen = new HashMap<>();
        long targets = 0;
        for (Batch b : pb.epoch(0)) {
            assertTrue(b.resetState());
            for (int r = 0; r < b.batch(); r++) {
                int[] in = Arrays.copyOfRange(b.inputs(), r * b.time(), (r + 1) * b.time());
                int[] tg = Arrays.copyOfRange(b.targets(), r * b.time(), (r + 1) * b.time());
                assertEquals(Vocabulary.BEGIN, in[0]);
                int n = 0;
                while (n < b.time() && tg[n] != Vocabulary.PAD) n++;
                assertEquals(Vocabulary.END, tg[n - 1]);
                for (int t = 0; t + 1 < n; t++) assertEquals(in[t + 1], tg[t], "targets are inputs shifted by one");
                for (int t = n; t < b.time(); t++) assertEquals(0, in[t] | tg[t], "pad after the poem");
                seen.merge(c.vocabulary().decode(in), 1, Integer::sum);
            }
            int count = 0;
            for (int k = 0; k < b.targets().length; k++) if (b.isTarget(k)) count++;
            assertEquals(count, b.targetCount());
            targets += count;
        }
        assertEquals(pb.targetsPerEpoch(), targets);
        Map<String, Integer> expected = new HashMap<>();
        for (String d : docs) expected.merge(d, 1, Integer::sum);
        assertEquals(expected, seen);
    }

    @Test
    void poemEpochsReshuffleReproduciblyAndBucketingKeepsPaddingLow() {
        EncodedCorpus c = DataTestCorpus.encoded(DataTestCorpus.documents(2000, 3, 60, 9));
        PoemBatches a = new PoemBatches(c.all(), 16, 3);
        PoemBatches b = new PoemBatches(c.all(), 16, 3);
        assertArrayEquals(a.batch(1, 5).inputs(), b.batch(1, 5).inputs());
        assertFalse(Arrays.equals(a.batch(0, 5).inputs(), a.batch(1, 5).inputs()));
        assertNotEquals(Arrays.hashCode(a.batch(0, 0).inputs()), Arrays.hashCode(new PoemBatches(c.all(), 16, 4).batch(0, 0).inputs()));
        assertTrue(a.paddingFraction() < 0.05, "padding " + a.paddingFraction());
        PoemBatches valid = new PoemBatches(c.all(), 16, 3, false);
        assertTrue(valid.paddingFraction() < 0.01, "padding " + valid.paddingFraction());
        assertArrayEquals(valid.batch(0, 3).inputs(), valid.batch(7, 3).inputs());
    }

    @Test
    void everyRunOfBucketBatchesStepsIsOneLengthSortedWindow() {
        // The batches of steps [32w, 32w + 32) are the window's length-sorted slices, in shuffled order: sorted by
        // length, each batch's longest poem is no longer than the next batch's shortest. A global shuffle of the
        // batches would mix windows, whose length ranges overlap.
        EncodedCorpus c = DataTestCorpus.encoded(DataTestCorpus.documents(2000, 3, 60, 9));
        int B = 16;
        PoemBatches pb = new PoemBatches(c.all(), B, 5);
        int batches = pb.batchesPerEpoch(), W = PoemBatches.BUCKET_BATCHES;
        boolean shuffled = false;
        for (int w = 0; w < batches; w += W) {
            List<int[]> ranges = new ArrayList<>();   // {shortest, longest} steps per batch, in step order
            for (int k = w; k < Math.min(batches, w + W); k++) {
                Batch b = pb.batch(0, k);
                int lo = Integer.MAX_VALUE, hi = 0;
                for (int r = 0; r < b.batch(); r++) {
                    int n = 0;
                    for (int t = 0; t < b.time(); t++) if (b.targets()[r * b.time() + t] != 0) n++;
                    lo = Math.min(lo, n);
                    hi = Math.max(hi, n);
                }
                ranges.add(new int[] {lo, hi});
            }
            List<int[]> sorted = new ArrayList<>(ranges);
            sorted.sort((x, y) -> x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]));
            for (int i = 0; i + 1 < sorted.size(); i++) {
                assertTrue(sorted.get(i)[1] <= sorted.get(i + 1)[0], "window " + w / W + ": batches overlap in length");
            }
            for (int i = 0; i < ranges.size(); i++) shuffled |= ranges.get(i) != sorted.get(i);
        }
        assertTrue(shuffled, "batches inside a window come in shuffled order, not by length");
    }

    @Test
    void poemCursorResumesExactlyAcrossEpochs() {
        EncodedCorpus c = DataTestCorpus.encoded(DataTestCorpus.documents(50, 3, 12, 2));
        PoemBatches a = new PoemBatches(c.all(), 8, 21);
        List<int[]> straight = new ArrayList<>();
        for (int i = 0; i < 20; i++) straight.add(a.next().inputs());
        PoemBatches b = new PoemBatches(c.all(), 8, 21);
        for (int i = 0; i < 9; i++) b.next();
        Cursor saved = b.cursor();
        assertEquals(new Cursor(1, 2, 21), saved);   // 7 batches per epoch
        PoemBatches resumed = new PoemBatches(c.all(), 8, 21);
        resumed.seek(saved);
        for (int i = 9; i < 20; i++) assertArrayEquals(straight.get(i), resumed.next().inputs());
        assertThrows(ConfigException.class, () -> new PoemBatches(c.all(), 8, 22).seek(saved));
    }

    @Test
    void poemModeRefusesHugeDocuments() {
        EncodedCorpus c = DataTestCorpus.encoded(List.of("山".repeat(5000)));
        assertThrows(ConfigException.class, () -> new PoemBatches(c.all(), 4, 1));
    }

    @Test
    void streamBatchesAreContiguousStreamsWithCarriedState() {
        List<String> docs = DataTestCorpus.documents(40, 3, 15, 4);
        EncodedCorpus c = DataTestCorpus.encoded(docs);
        int n = c.tokenCount();
        int B = 3;
        int T = 7;
        StreamBatches sb = new StreamBatches(c.all(), B, T);
        long S = (n - 1) / B;
        assertEquals(S, sb.stepsPerStream());
        assertEquals((S + T - 1) / T, sb.batchesPerEpoch());
        int[] tokens = c.tokens();
        long counted = 0;
        for (Batch b : sb.epoch(0)) {
            assertEquals(b.index() == 0, b.resetState());
            for (int r = 0; r < B; r++) {
                for (int t = 0; t < T; t++) {
                    long step = (long) b.index() * T + t;
                    int k = r * T + t;
                    if (step < S) {
                        assertEquals(tokens[(int) (r * S + step)], b.inputs()[k]);
                        assertEquals(tokens[(int) (r * S + step + 1)], b.targets()[k]);
                    } else {
                        assertEquals(0, b.targets()[k]);
                    }
                }
            }
            counted += b.targetCount();
        }
        assertEquals(sb.targetsPerEpoch(), counted);
        assertEquals(B * S, counted);
        Batch last = sb.next();
        for (int i = 1; i < sb.batchesPerEpoch(); i++) last = sb.next();
        Batch firstOfNext = sb.next();
        assertEquals(1, firstOfNext.epoch());
        assertTrue(firstOfNext.resetState());
        assertFalse(last.resetState());
    }

    @Test
    void streamOverASplitSubsetReadsAcrossDocumentGaps() {
        EncodedCorpus c = DataTestCorpus.encoded(DataTestCorpus.documents(60, 3, 9, 8));
        Split s = Split.byDocument(c, 0.2, 5);
        StreamBatches sb = new StreamBatches(s.validation(), 2, 5);
        // The validation stream is its documents back to back: rebuild it and compare.
        List<Integer> stream = new ArrayList<>();
        for (int i = 0; i < s.validation().size(); i++) {
            for (int j = 0; j < s.validation().length(i); j++) stream.add(c.tokens()[s.validation().start(i) + j]);
        }
        long S = sb.stepsPerStream();
        Batch b = sb.batch(0, 1);
        for (int r = 0; r < 2; r++) {
            for (int t = 0; t < 5 && 5 + t < S; t++) {
                assertEquals(stream.get((int) (r * S + 5 + t)), b.inputs()[r * 5 + t]);
            }
        }
        StreamBatches resumed = new StreamBatches(s.validation(), 2, 5);
        resumed.seek(new Cursor(3, 1, 0));
        Batch rb = resumed.next();
        assertArrayEquals(b.inputs(), rb.inputs());
        assertEquals(3, rb.epoch());
    }

    @Test
    void streamTooShortForTheBatchIsAClearError() {
        EncodedCorpus c = DataTestCorpus.encoded(List.of("山水"));
        assertThrows(ConfigException.class, () -> new StreamBatches(c.all(), 8, 4));
    }
}
