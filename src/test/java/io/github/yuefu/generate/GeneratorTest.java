package io.github.yuefu.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.SampleConfig.Prompt;
import io.github.yuefu.config.SampleConfig.PromptKind;
import io.github.yuefu.config.SampleConfig.Rhyme;
import io.github.yuefu.config.SampleConfig.Tones;
import io.github.yuefu.poetics.Form;
import io.github.yuefu.poetics.RhymeGroup;
import io.github.yuefu.poetics.TonePattern;
import io.github.yuefu.text.Vocabulary;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratorTest {
    static final BigramModel MODEL = BigramModel.poems();
    static final Generator GEN = new Generator(MODEL, MODEL.vocab);

    static SampleConfig cfg() {
        return SampleConfig.defaults();
    }

    static SampleConfig form(Form f, int count, long seed) {
        return cfg().withForm(f, "", 1, Rhyme.NONE, Tones.OFF).withRun(128, count, seed, SampleConfig.InitialState.ZEROS);
    }

    @Test
    void everyPoemHasExactlyTheForm() {
        for (Form f : Form.values()) {
            for (Poem p : GEN.generate(form(f, 30, 7))) {
                assertNull(f.violation(p.text()), p.text());
                assertEquals(Vocabulary.END, p.tokens()[p.tokens().length - 1]);
                assertTrue(p.relaxed().isEmpty());
            }
        }
    }

    @Test
    void logProbAndPerplexityAreUnderTheRawModel() {
        SampleConfig c = form(Form.WUJUE, 5, 3).withDecoding(0.7, 5, 0.9, 0)
                .withPrompt(new Prompt(PromptKind.START, "月"));
        for (Poem p : GEN.generate(c)) {
            assertTrue(p.text().startsWith("月"));
            double expected = MODEL.logProb(p.tokens(), p.tokens()[0], 1); // the start character is given
            assertEquals(expected, p.logProb(), 1e-3);
            assertEquals(p.tokens().length - 1, p.scored());
            assertEquals(Math.exp(-expected / p.scored()), p.perplexity(), 1e-3);
        }
    }

    @Test
    void batchedRowsMatchSingleRunsAndOnePassServesAll() {
        SampleConfig c = form(Form.QIJUE, 16, 11);
        MODEL.steps = 0;
        List<Poem> batch = GEN.generate(c);
        int stepsBatched = MODEL.steps;
        assertEquals(Form.QIJUE.textLength() + 1, stepsBatched); // G + 32 text tokens; E is chosen, not fed
        assertEquals(batch.get(0).text(), GEN.generate(form(Form.QIJUE, 1, 11)).get(0).text());
        Set<String> distinct = new HashSet<>();
        batch.forEach(p -> distinct.add(p.text()));
        assertTrue(distinct.size() > 10, "samples should differ: " + distinct.size());
        assertEquals(batch.get(3).text(), GEN.generate(c).get(3).text()); // seeded
        assertNotEquals(batch.get(0).text(), GEN.generate(form(Form.QIJUE, 1, 12)).get(0).text());
    }

    @Test
    void greedyEqualsTopOneAndTinyNucleusAndBeamOne() {
        SampleConfig greedy = form(Form.WUJUE, 1, 1).withDecoding(0, 0, 1, 0);
        String g = GEN.generate(greedy).get(0).text();
        assertEquals(g, GEN.generate(greedy.withDecoding(1, 1, 1, 0)).get(0).text());
        assertEquals(g, GEN.generate(greedy.withDecoding(1, 0, 1e-6, 0)).get(0).text());
        assertEquals(g, GEN.generate(greedy.withDecoding(1, 0, 1, 1)).get(0).text());
    }

    @Test
    void beamSearchFindsAtLeastGreedysScoreAndRanksItsResults() {
        SampleConfig greedy = form(Form.WUJUE, 1, 1).withDecoding(0, 0, 1, 0);
        Poem g = GEN.generate(greedy).get(0);
        List<Poem> beams = GEN.generate(greedy.withDecoding(1, 0, 1, 8).withRun(128, 3, 1, SampleConfig.InitialState.ZEROS));
        assertEquals(3, beams.size());
        assertTrue(beams.get(0).logProb() >= g.logProb() - 1e-6, beams.get(0).logProb() + " < " + g.logProb());
        assertTrue(beams.get(0).logProb() >= beams.get(1).logProb() && beams.get(1).logProb() >= beams.get(2).logProb());
        assertEquals(3, new HashSet<>(beams.stream().map(Poem::text).toList()).size());
        beams.forEach(p -> assertNull(Form.WUJUE.violation(p.text())));
    }

    @Test
    void acrosticFixesClauseHeadsAndOtherPositions() {
        SampleConfig c = cfg().withForm(null, "春夏秋冬", 1, Rhyme.NONE, Tones.OFF).withRun(128, 10, 5, SampleConfig.InitialState.ZEROS);
        assertEquals(Form.WUJUE, c.form());
        for (Poem p : GEN.generate(c)) {
            List<String> clauses = PoemText.clauses(p.text());
            assertEquals(List.of("春", "夏", "秋", "冬"), clauses.stream().map(s -> s.substring(0, 1)).toList());
        }
        SampleConfig third = cfg().withForm(Form.QILV, "春夏秋冬", 3, Rhyme.NONE, Tones.OFF);
        for (Poem p : GEN.generate(third)) {
            assertEquals("秋", PoemText.clauses(p.text()).get(2).substring(2, 3));
            assertNull(Form.QILV.violation(p.text()));
        }
        assertThrows(ConfigException.class, () -> cfg().withForm(Form.QIJUE, "春夏秋冬月", 1, Rhyme.NONE, Tones.OFF));
        assertThrows(ConfigException.class, () -> cfg().withForm(null, "春夏秋冬春夏秋冬月", 1, Rhyme.NONE, Tones.OFF));
    }

    @Test
    void evenClausesRhymeInOneGroupWithoutRepeatingTheRhymeCharacter() {
        for (Rhyme mode : List.of(Rhyme.EVEN, Rhyme.EVEN_AND_FIRST)) {
            SampleConfig c = form(Form.WULV, 20, 9).withForm(Form.WULV, "", 1, mode, Tones.OFF);
            for (Poem p : GEN.generate(c)) {
                List<String> clauses = PoemText.clauses(p.text());
                Set<RhymeGroup> groups = new HashSet<>();
                Set<String> ends = new HashSet<>();
                for (int i = 0; i < clauses.size(); i++) {
                    if (i % 2 == 1 || (i == 0 && mode == Rhyme.EVEN_AND_FIRST)) {
                        String end = clauses.get(i).substring(4);
                        groups.add(RhymeGroup.of(end.codePointAt(0)));
                        assertTrue(ends.add(end) || !p.relaxed().isEmpty(), p.text());
                    }
                }
                assertEquals(1, groups.size(), p.text());
                assertFalse(groups.contains(null));
            }
        }
    }

    @Test
    void hardTonesFollowAStandardPattern() {
        SampleConfig c = form(Form.QIJUE, 20, 4).withForm(Form.QIJUE, "", 1, Rhyme.EVEN_AND_FIRST, Tones.HARD);
        for (Poem p : GEN.generate(c)) {
            List<String> clauses = PoemText.clauses(p.text());
            double best = TonePattern.all(Form.QIJUE).stream().mapToDouble(t -> t.match(clauses)).max().orElse(0);
            if (p.relaxed().isEmpty()) assertEquals(1.0, best, 1e-9, p.text());
            assertNull(Form.QIJUE.violation(p.text()));
        }
    }

    @Test
    void softTonesRaiseTheMatchRate() {
        SampleConfig off = form(Form.WUJUE, 60, 2);
        SampleConfig soft = off.withForm(Form.WUJUE, "", 1, Rhyme.NONE, Tones.SOFT).withTiming(4.0, 60);
        assertTrue(meanMatch(GEN.generate(soft)) > meanMatch(GEN.generate(off)) + 0.1);
    }

    private static double meanMatch(List<Poem> poems) {
        return poems.stream().mapToDouble(p -> TonePattern.all(Form.WUJUE).stream()
                .mapToDouble(t -> t.match(PoemText.clauses(p.text()))).max().orElse(0)).average().orElse(0);
    }

    @Test
    void impossibleConstraintsRelaxInsteadOfLooping() {
        // A vocabulary whose every character is level-toned: hard tones cannot hold, the poem must still come out.
        BigramModel level = new BigramModel(List.of("山中天高云，风飞花开春。"), 0.1);
        Generator g = new Generator(level, level.vocab);
        SampleConfig c = form(Form.WUJUE, 3, 1).withForm(Form.WUJUE, "", 1, Rhyme.EVEN, Tones.HARD);
        for (Poem p : g.generate(c)) {
            assertNull(Form.WUJUE.violation(p.text()), p.text());
            assertTrue(p.relaxed().contains("hard tones relaxed to soft"), p.relaxed().toString());
        }
    }

    @Test
    void theFirstRhymeOnlyOpensAGroupThatCanLast() {
        // 光 is the only 唐 character: a 律诗 needs four distinct rhymes, so 唐 must never be opened (it would run dry).
        BigramModel m = new BigramModel(List.of("山中天高光，风飞花开春。云林人新门，明心寻深今。"), 0.1);
        for (int a = 0; a < m.v; a++) m.table[a * m.v + m.vocab.id("光")] += 8f; // the model loves 光
        Generator g = new Generator(m, m.vocab);
        for (Poem p : g.generate(form(Form.WULV, 10, 3).withForm(Form.WULV, "", 1, Rhyme.EVEN, Tones.OFF))) {
            assertTrue(p.relaxed().isEmpty(), p.text() + " " + p.relaxed());
            assertFalse(PoemText.clauses(p.text()).get(1).endsWith("光"), p.text());
        }
    }

    @Test
    void freeTextEndsByTheMaximumLength() {
        SampleConfig c = cfg().withRun(12, 20, 3, SampleConfig.InitialState.RANDOM).withDecoding(2.0, 0, 1, 0);
        for (Poem p : GEN.generate(c)) {
            assertTrue(p.tokens().length <= 12);
            assertEquals(Vocabulary.END, p.tokens()[p.tokens().length - 1]);
            assertFalse(p.text().contains("<"));
        }
    }

    @Test
    void noRepeatNgramAndRepetitionPenalty() {
        SampleConfig c = cfg().withRun(60, 10, 3, SampleConfig.InitialState.ZEROS).withRepetition(1.0, 2).withDecoding(0, 0, 1, 0);
        for (Poem p : GEN.generate(c)) {
            Set<String> bigrams = new HashSet<>();
            int[] t = p.tokens();
            for (int i = 0; i + 1 < t.length; i++) assertTrue(bigrams.add(t[i] + "," + t[i + 1]), p.text());
        }
        for (Poem p : GEN.generate(form(Form.WULV, 10, 8).withRepetition(1.0, 1))) {
            assertEquals(0, repeats(List.of(p)), p.text());       // no character twice, the form's ，。 untouched
            assertTrue(p.relaxed().isEmpty(), p.relaxed().toString());
        }
        SampleConfig rep = form(Form.WULV, 20, 8);
        assertTrue(repeats(GEN.generate(rep.withRepetition(5.0, 0))) < repeats(GEN.generate(rep)));
    }

    private static int repeats(List<Poem> poems) {
        int n = 0;
        for (Poem p : poems) {
            String chars = p.text().replaceAll("[，。]", "");
            n += chars.length() - (int) chars.chars().distinct().count();
        }
        return n;
    }

    @Test
    void promptsAreCheckedAndContextIsSilent() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> GEN.generate(cfg().withPrompt(new Prompt(PromptKind.PREFIX, "國破X"))));
        assertTrue(e.getMessage().contains("'國' (try '国')") && e.getMessage().contains("'X'"), e.getMessage());
        assertThrows(ConfigException.class, () -> GEN.generate(form(Form.WUJUE, 1, 1)
                .withPrompt(new Prompt(PromptKind.PREFIX, "白日依山尽黄"))));            // 6th char must be ，
        assertThrows(ConfigException.class, () -> GEN.generate(cfg().withForm(null, "春夏", 1, Rhyme.NONE, Tones.OFF)
                .withPrompt(new Prompt(PromptKind.START, "夏"))));                      // contradicts the acrostic
        assertThrows(ConfigException.class, () -> new Prompt(PromptKind.START, "明月"));
        assertThrows(ConfigException.class, () -> new Prompt(PromptKind.PREFIX, ""));
        assertThrows(ConfigException.class, () -> cfg().withDecoding(1, 0, 0.9, 4));
        Poem p = GEN.generate(form(Form.WUJUE, 1, 1).withPrompt(new Prompt(PromptKind.CONTEXT, "孤舟蓑笠翁"))).get(0);
        assertNull(Form.WUJUE.violation(p.text()));
        assertEquals(Form.WUJUE.textLength() + 1, p.scored());
        Poem q = GEN.generate(form(Form.WUJUE, 1, 1).withPrompt(new Prompt(PromptKind.PREFIX, "白日依山尽，"))).get(0);
        assertTrue(q.text().startsWith("白日依山尽，"));
    }

    @Test
    void streamingReportsEveryTokenInOrder() {
        List<List<String>> got = new ArrayList<>();
        for (int i = 0; i < 4; i++) got.add(new ArrayList<>());
        List<Poem> poems = GEN.generate(form(Form.WUJUE, 4, 2), (poem, id, text) -> got.get(poem).add(text));
        for (int i = 0; i < 4; i++) {
            assertEquals(poems.get(i).text(), String.join("", got.get(i)));
            assertEquals(Form.WUJUE.textLength() + 1, got.get(i).size());
        }
    }

    @Test
    void timesOutWithAClearMessage() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> GEN.generate(form(Form.QILV, 4, 1).withTiming(2.0, 1e-9)));
        assertTrue(e.getMessage().contains("timed out"));
    }

    @Test
    void tokenLoopDoesNotAllocatePerToken() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SampleConfig shortRun = cfg().withRun(20, 4, 1, SampleConfig.InitialState.ZEROS).withDecoding(1, 5, 0.9, 0).withRepetition(1.2, 3);
        SampleConfig longRun = shortRun.withRun(2000, 4, 1, SampleConfig.InitialState.ZEROS);
        BigramModel noEnd = new BigramModel(List.of("一二三四五六七八九十"), 1.0);
        for (int a = 0; a < noEnd.v; a++) noEnd.table[a * noEnd.v + Vocabulary.END] = -50f; // only the forced end
        Generator g = new Generator(noEnd, noEnd.vocab);
        g.generate(longRun);
        long t = Thread.currentThread().threadId();
        long a0 = bean.getThreadAllocatedBytes(t);
        List<Poem> s = g.generate(shortRun);
        long a1 = bean.getThreadAllocatedBytes(t);
        List<Poem> l = g.generate(longRun);
        long a2 = bean.getThreadAllocatedBytes(t);
        int extraTokens = l.stream().mapToInt(p -> p.tokens().length).sum() - s.stream().mapToInt(p -> p.tokens().length).sum();
        // Histories and result strings grow with length (about 20 bytes per token); anything per token more is a leak.
        double perToken = (double) ((a2 - a1) - (a1 - a0)) / extraTokens;
        assertTrue(extraTokens > 1000, "too few tokens: " + extraTokens);
        assertTrue(perToken < 40, "allocates " + perToken + " bytes per token");
    }
}
