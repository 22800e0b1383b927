package io.github.yuefu.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.poetics.Form;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CorpusIndexTest {
    static final CorpusIndex INDEX = CorpusIndex.of(TestPoems.ALL);

    /** Longest substring of s in any document, the slow obvious way. */
    static int bruteForce(String s, List<String> docs) {
        int best = 0;
        for (int i = 0; i < s.length(); i++) {
            for (int j = i + 1; j <= s.length(); j++) {
                String sub = s.substring(i, j);
                if (j - i > best && docs.stream().anyMatch(d -> d.contains(sub))) best = j - i;
            }
        }
        return best;
    }

    @Test
    void longestCopiedMatchesBruteForce() {
        Random rng = new Random(5);
        String alphabet = String.join("", TestPoems.ALL);
        for (int t = 0; t < 200; t++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rng.nextInt(20);
            while (sb.length() < n) {
                if (rng.nextInt(3) == 0) { // splice in a real run so long matches happen
                    String doc = TestPoems.ALL.get(rng.nextInt(TestPoems.ALL.size()));
                    int a = rng.nextInt(doc.length()), b = Math.min(doc.length(), a + 1 + rng.nextInt(9));
                    sb.append(doc, a, b);
                } else {
                    sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
                }
            }
            String s = sb.toString();
            String copied = INDEX.longestCopied(s);
            assertEquals(bruteForce(s, TestPoems.ALL), copied.length(), s);
            assertTrue(s.contains(copied));
        }
        assertEquals("", INDEX.longestCopied("XYZ"));
    }

    @Test
    void containsFindsWholeClausesOnly() {
        assertTrue(INDEX.contains("疑是地上霜"));
        assertTrue(INDEX.contains("明月光，疑"));
        assertFalse(INDEX.contains("疑是地上雪"));
        assertFalse(INDEX.contains("霜。白日")); // spans two documents
    }

    @Test
    void reportOnAClassic() {
        PoemReport r = PoemReport.of("白日依山尽，黄河入海流。欲穷千里目，更上一层楼。", null, INDEX);
        assertEquals("wujue", r.form());
        assertTrue(r.formOk());
        assertNull(r.formProblem());
        assertEquals(List.of("文", "尤", "姑", "尤"), r.rhymeGroups()); // 尽 目 流 楼
        assertTrue(r.rhymes());
        assertEquals(1.0, r.toneMatch(), 1e-9);
        assertEquals(24, r.copiedLength());
        PoemReport bad = PoemReport.of("白日依山，黄河入海流。", Form.WUJUE, null);
        assertFalse(bad.formOk());
        assertNull(bad.copied());
        PoemReport rep = PoemReport.of("月月月", null, null);
        assertEquals(3, rep.repeated().get("月"));
    }
}
