package io.github.yuefu.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.SampleConfig.Rhyme;
import io.github.yuefu.config.SampleConfig.Tones;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.poetics.Form;
import io.github.yuefu.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator on the real engine (random weights, two LSTM layers): scores must equal the model's own
 * teacher-forced log-probabilities, which checks priming, batching and the beam's state reordering.
 */
class RealModelTest {

    /** log P(tokens[from..]) by one teacher-forced forward over G + tokens. */
    static double teacherForced(LanguageModel lm, int[] tokens, int from) {
        int t = tokens.length;
        int[] in = new int[t], target = new int[t];
        in[0] = Vocabulary.BEGIN;
        for (int i = 0; i < t; i++) {
            if (i > 0) in[i] = tokens[i - 1];
            target[i] = i < from ? Vocabulary.PAD : tokens[i];
        }
        lm.forward(in, target, 1, t, Vocabulary.PAD, null, false);
        return -lm.lastSumNll();
    }

    @Test
    void scoresEqualTeacherForcedLogProbs() {
        Vocabulary vocab = BigramModel.poems().vocab;
        for (CellType cell : CellType.values()) {
            LanguageModel lm = new LanguageModel(new ModelConfig(cell, 2, vocab.size(), InputKind.EMBEDDING, 8, 16, 0f));
            lm.initialize(3);
            Generator g = new Generator(lm, vocab);
            SampleConfig base = SampleConfig.defaults().withForm(Form.WUJUE, "", 1, Rhyme.EVEN, Tones.SOFT)
                    .withPrompt(new SampleConfig.Prompt(SampleConfig.PromptKind.START, "山"));
            List<Poem> sampled = g.generate(base.withRun(128, 6, 5, SampleConfig.InitialState.ZEROS));
            List<Poem> beams = g.generate(base.withDecoding(1, 0, 1, 5).withRun(128, 5, 5, SampleConfig.InitialState.ZEROS));
            for (Poem p : sampled) check(lm, p);
            for (Poem p : beams) check(lm, p);
        }
    }

    @Test
    void silentContextChangesTheStateButIsNotPrinted() {
        Vocabulary vocab = BigramModel.poems().vocab;
        LanguageModel lm = new LanguageModel(new ModelConfig(CellType.LSTM, 1, vocab.size(), InputKind.EMBEDDING, 8, 16, 0f));
        lm.initialize(5);
        Generator g = new Generator(lm, vocab);
        SampleConfig greedy = SampleConfig.defaults().withDecoding(0, 0, 1, 0).withForm(Form.WUJUE, "", 1, Rhyme.NONE, Tones.OFF);
        Poem plain = g.generate(greedy).get(0);
        Poem primed = g.generate(greedy.withPrompt(new SampleConfig.Prompt(SampleConfig.PromptKind.CONTEXT, "孤舟蓑笠翁独钓寒江雪"))).get(0);
        assertNull(Form.WUJUE.violation(primed.text()));
        org.junit.jupiter.api.Assertions.assertNotEquals(plain.logProb(), primed.logProb());
        org.junit.jupiter.api.Assertions.assertFalse(primed.text().contains("孤舟蓑笠翁"));
    }

    private static void check(LanguageModel lm, Poem p) {
        assertNull(Form.WUJUE.violation(p.text()), p.text());
        assertEquals(teacherForced(lm, p.tokens(), 1), p.logProb(), 1e-3 * Math.max(1, Math.abs(p.logProb())), p.text());
    }
}
