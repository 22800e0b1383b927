package io.github.yuefu.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.text.Vocabulary;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EncodedCorpusAndSplitTest {

    @Test
    void documentsAreFramedBeginEndInOneFlatArray() {
        List<String> docs = List.of("山水", "𬬻月日");
        EncodedCorpus c = DataTestCorpus.encoded(docs);
        Vocabulary v = c.vocabulary();
        assertEquals(2, c.documents());
        assertEquals(4 + 5, c.tokenCount());
        assertEquals(4, c.length(0));
        assertArrayEquals(new int[] {2, v.id("𬬻"), v.id("月"), v.id("日"), 3},
                java.util.Arrays.copyOfRange(c.tokens(), c.start(1), c.start(1) + c.length(1)));
        assertEquals("𬬻月日", v.decode(c.tokens(), c.start(1), c.start(1) + c.length(1)));
        assertEquals(0, c.unknownCount());
    }

    @Test
    void splitIsByDocumentSeededAndRecreatable() {
        EncodedCorpus c = DataTestCorpus.encoded(DataTestCorpus.documents(200, 3, 20, 1));
        Split a = Split.byDocument(c, 0.1, 42);
        Split b = Split.byDocument(c, 0.1, 42);
        assertEquals(20, a.validation().size());
        assertEquals(180, a.train().size());
        assertEquals(c.tokenCount(), a.train().tokenCount() + a.validation().tokenCount());
        Set<Integer> trainStarts = new HashSet<>();
        for (int i = 0; i < a.train().size(); i++) trainStarts.add(a.train().start(i));
        for (int i = 0; i < a.validation().size(); i++) {
            assertTrue(!trainStarts.contains(a.validation().start(i)), "a validation document is also in training");
            assertEquals(b.validation().start(i), a.validation().start(i));
        }
        assertEquals(a.spec(), b.spec());
        assertNotEquals(a.spec().checksum(), Split.byDocument(c, 0.1, 43).spec().checksum());
        Split again = Split.recreate(c, a.spec());
        assertEquals(a.spec(), again.spec());
        EncodedCorpus other = DataTestCorpus.encoded(DataTestCorpus.documents(200, 3, 20, 2));
        assertThrows(ConfigException.class, () -> Split.recreate(other, a.spec()));
        assertEquals(0, Split.byDocument(c, 0, 1).validation().size());
        assertThrows(ConfigException.class, () -> Split.byDocument(c, 1.0, 1));
    }

    @Test
    void aSingleStreamDocumentIsSplitByItsTail() {
        EncodedCorpus c = DataTestCorpus.encoded(List.of("山水日月风花雪夜山水日月风花雪夜山水"));   // 18 chars + G E = 20
        Split s = Split.byDocument(c, 0.25, 7);
        assertEquals(15, s.train().tokenCount());
        assertEquals(5, s.validation().tokenCount());
        assertEquals(c.start(0) + 15, s.validation().start(0));
    }
}
