package io.github.yuefu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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

    @Test
    void buildCountsCodePointsSoNonBmpCharactersAreOneToken() {
        Vocabulary v = Vocabulary.build(List.of("鑪𬬻𬬻山", "山山\n"), 100, 1);
        assertEquals(List.of("<pad>", "<unk>", "<G>", "<E>", "山", "𬬻", "\n", "鑪"), v.tokens());
        int[] ids = v.encode("𬬻山\n");
        assertArrayEquals(new int[] {5, 4, 6}, ids);
        assertEquals("𬬻山\n", v.decode(ids));
        assertEquals(6, v.id(Vocabulary.LINE_BREAK));
    }

    @Test
    void encodeDecodeRoundTripsAndSpecialsPrintAsNothing() {
        Vocabulary v = Vocabulary.build(List.of("床前明月光，疑是地上霜。"), 100, 1);
        String s = "明月光，地上霜。";
        assertEquals(s, v.decode(v.encode(s)));
        int[] framed = new int[] {Vocabulary.BEGIN, v.id("明"), v.id("月"), Vocabulary.END, Vocabulary.PAD};
        assertEquals("明月", v.decode(framed));
        assertArrayEquals(new int[] {v.id("明"), Vocabulary.UNK}, v.encode("明海"));
        assertEquals("明<unk>", v.decode(v.encode("明海")));
    }

    @Test
    void unknownPromptCharactersAreListedOrMappedToUnk() {
        Vocabulary v = Vocabulary.build(List.of("床前明月光"), 100, 1);
        var e = assertThrows(ConfigException.class, () -> v.encodePrompt("明海𬬻海", CharTokenizer.INSTANCE, false));
        assertTrue(e.getMessage().contains("'海' (U+6D77), '𬬻' (U+2CB3B)"), e.getMessage());
        assertArrayEquals(new int[] {v.id("明"), 1, 1, 1}, v.encodePrompt("明海𬬻海", CharTokenizer.INSTANCE, true));
        assertThrows(ConfigException.class, () -> v.encodePrompt("<G>", new WordTokenizerStub(), false));
    }

    @Test
    void maxVocabAndMinCountInBuild() {
        Vocabulary v = Vocabulary.build(List.of("aaab", "bc"), 6, 2);
        assertEquals(List.of("<pad>", "<unk>", "<G>", "<E>", "a", "b"), v.tokens());
        assertEquals(Vocabulary.UNK, v.idOfCodePoint('c'));
        assertEquals(Vocabulary.UNK, v.idOfCodePoint(0x2CB3B));
    }

    @Test
    void wordTokenizerKeepsEveryCharacterAndLineBreaks() {
        WordTokenizer w = new WordTokenizer();
        String text = "我爱北京天安门，天安门上太阳升。\nHey 你好 𬬻\n";
        List<String> words = w.split(text);
        assertEquals(text, String.join("", words));
        assertTrue(words.contains("天安门"), words.toString());
        assertTrue(words.contains(Vocabulary.LINE_BREAK));
        Vocabulary v = Vocabulary.build(List.of(text), w, 1000, 1);
        assertEquals(text, v.decode(v.encode(text, w)));
    }

    /** A tokenizer that returns the whole text as one token, to check specials cannot be typed in a prompt. */
    private static final class WordTokenizerStub implements Tokenizer {
        @Override
        public io.github.yuefu.config.CorpusConfig.TokenizerKind kind() {
            return io.github.yuefu.config.CorpusConfig.TokenizerKind.WORD;
        }

        @Override
        public List<String> split(String text) {
            return List.of(text);
        }
    }
}
