package io.github.yuefu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.yuefu.config.ConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void ordersByFrequencyThenCodePointWithSpecialsFirst() {
        Vocabulary v = Vocabulary.fromCounts(Map.of("月", 5L, "山", 7L, "日", 5L, "𬬻", 1L), 100, 1);
        assertEquals(List.of("<pad>", "<unk>", "<G>", "<E>", "山", "日", "月", "𬬻"), v.tokens());
        assertEquals(Vocabulary.UNK, v.id("海"));
        assertEquals(7, v.id("𬬻"));
    }

    @Test
    void maxSizeAndMinCountMapTheRestToUnk() {
        Vocabulary v = Vocabulary.fromCounts(Map.of("a", 9L, "b", 3L, "c", 1L), 6, 2);
        assertEquals(6, v.size());
        assertEquals(Vocabulary.UNK, v.id("c"));
        Vocabulary w = Vocabulary.fromCounts(Map.of("a", 9L, "b", 3L, "c", 1L), 5, 1);
        assertEquals(Vocabulary.UNK, w.id("b"));
    }

    @Test
    void rejectsDamagedTokenLists() {
        assertThrows(ConfigException.class, () -> new Vocabulary(List.of("a", "b")));
        assertThrows(ConfigException.class, () -> new Vocabulary(List.of("<pad>", "<unk>", "<G>", "<E>", "x", "x")));
    }
}
