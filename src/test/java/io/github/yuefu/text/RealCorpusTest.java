package io.github.yuefu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.SharedData;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.CorpusConfig.Marks;
import io.github.yuefu.config.CorpusConfig.Unit;
import io.github.yuefu.data.EncodedCorpus;
import io.github.yuefu.text.CleaningReport.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The real corpora in ../shared/data against the figures in its README (skipped when absent). */
class RealCorpusTest {

    @Test
    void poemsTxtClassicFilterMatchesTensorflowPoems() {
        Path p = SharedData.require("data/poems.txt");
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p).withMarks(Marks.CLASSIC));
        CleaningReport r = c.report();
        assertEquals(57_243, r.read());
        assertEquals(45_041, r.kept());
        assertEquals(5_161, r.dropped(Reason.MARKS));
        // tensorflow_poems counts empty content (4 lines) as shorter than 5.
        assertEquals(221, r.dropped(Reason.TOO_SHORT) + r.dropped(Reason.EMPTY_CONTENT));
        assertEquals(4, r.dropped(Reason.EMPTY_CONTENT));
        assertEquals(6_820, r.dropped(Reason.TOO_LONG));
        assertEquals(0, r.dropped(Reason.NO_SEPARATOR));
        CorpusStats s = CorpusStats.of(c.documents());
        assertEquals(7_173, s.distinct());

        // Non-BMP characters are single tokens: the vocabulary has exactly the distinct code points.
        Vocabulary v = c.buildVocabulary();
        assertEquals(7_173 + 4, v.size());
        EncodedCorpus enc = EncodedCorpus.encode(c, v);
        assertEquals(s.characters() + 2L * c.documents().size(), enc.tokenCount());
        assertTrue(s.nonBmpDistinct() > 100, "kept poems use non-BMP characters: " + s.nonBmpDistinct());
        assertEquals(Vocabulary.UNK, v.id("\uD873"));   // a lone surrogate is never a token
        assertTrue(v.contains("𬬻"));
        int poemsWithNonBmp = 0;
        for (String d : c.documents()) if (d.codePoints().anyMatch(cp -> cp > 0xFFFF)) poemsWithNonBmp++;
        assertEquals(990, poemsWithNonBmp);
    }

    @Test
    void poemsTxtStrictDefaultDropsMoreDamagedText() {
        Path p = SharedData.require("data/poems.txt");
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p));
        CleaningReport r = c.report();
        // Measured figures of the strict default (see the report): more mark drops, fewer length drops.
        assertEquals(44_839, r.kept());
        assertEquals(5_450, r.dropped(Reason.MARKS));
        assertEquals(217, r.dropped(Reason.TOO_SHORT));
        assertEquals(6_733, r.dropped(Reason.TOO_LONG));
        for (String d : c.documents()) {
            assertTrue(!Cleaner.hasMarks(d, Marks.STRICT), d);
        }
    }

    @Test
    void chinesePoetryJsonFiles() {
        Path a = SharedData.require("data/chinese-poetry/poet.tang.24000.json");
        Path b = SharedData.require("data/chinese-poetry/poet.tang.57000.json");
        LoadedCorpus ca = Corpus.load(CorpusConfig.of(a).withMarks(Marks.NONE).withLengths(0, Integer.MAX_VALUE));
        LoadedCorpus cb = Corpus.load(CorpusConfig.of(b).withMarks(Marks.NONE).withLengths(0, Integer.MAX_VALUE));
        assertEquals(1_000, ca.report().read());
        assertEquals(1_000, ca.documents().size());
        assertEquals(591, cb.report().read());
        // The directory holds both files: read in numeric order, 24000 then 57000.
        LoadedCorpus dir = Corpus.load(CorpusConfig.of(a.getParent()).withMarks(Marks.NONE).withLengths(0, Integer.MAX_VALUE));
        assertEquals(1_591, dir.documents().size());
        assertEquals(ca.documents().get(0), dir.documents().get(0));
    }

    @Test
    void traditionalPoemsSimplifiedMostlyMatchOpenccT2s() {
        Path trad = SharedData.require("data/poems-traditional.txt");
        Path simp = SharedData.require("data/poems.txt");
        CorpusConfig classic = CorpusConfig.of(trad).withMarks(Marks.CLASSIC);
        LoadedCorpus t = Corpus.load(classic.withSimplify(true));
        LoadedCorpus s = Corpus.load(CorpusConfig.of(simp).withMarks(Marks.CLASSIC));
        assertEquals(s.documents().size(), t.documents().size());
        int same = 0;
        for (int i = 0; i < s.documents().size(); i++) if (s.documents().get(i).equals(t.documents().get(i))) same++;
        // HanLP's tables are not OpenCC's: most poems agree exactly, some differ by a character.
        assertTrue(same > 0.9 * s.documents().size(), same + " of " + s.documents().size());
    }

    @Test
    void lyricsByLineAndAsAStream() {
        Path p = SharedData.require("data/jaychou_lyrics.txt");
        LoadedCorpus lines = Corpus.load(CorpusConfig.of(p).withUnit(Unit.LINE));
        assertEquals(5_819, lines.documents().size());
        LoadedCorpus stream = Corpus.load(CorpusConfig.of(p));
        assertEquals(1, stream.documents().size());
        assertEquals(63_282, stream.codePoints());
        Vocabulary v = stream.buildVocabulary();
        assertEquals(2_582 + 1 + 4, v.size());   // distinct characters + the line break + specials
        assertTrue(v.contains(Vocabulary.LINE_BREAK));
    }

    @Test
    void tinyShakespeareHas65CharactersWithTheNewline() {
        Path p = SharedData.require("data/tinyshakespeare/input.txt");
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p));
        assertEquals(CorpusConfig.Format.TEXT, c.format());
        assertEquals(65 + 4, c.buildVocabulary().size());
        assertEquals(1_115_394, c.codePoints());
    }
}
