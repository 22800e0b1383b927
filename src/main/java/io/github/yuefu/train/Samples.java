package io.github.yuefu.train;

import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.generate.Generator;
import io.github.yuefu.generate.Poem;
import io.github.yuefu.model.StepModel;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples written at every evaluation: one temperature-sampled text per seed character, through the generate
 * package's {@link Generator} (what {@code yuefu write} uses). Seeded from (run seed, step), so the same step
 * always gives the same samples, and sampling touches none of the training state.
 */
public final class Samples {
    /** The seed characters of the README's main job. */
    public static final List<String> SEEDS = List.of("日", "红", "山", "夜", "湖", "海", "月");

    private Samples() {}

    /** One text per seed character in the vocabulary (others are skipped). */
    public static List<String> write(StepModel model, Vocabulary vocab, Tokenizer tokenizer, List<String> seeds,
                                     long rngSeed, double temperature, int maxLen) {
        Generator g = new Generator(model, vocab, tokenizer);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            String s = seeds.get(i);
            if (!vocab.contains(s)) continue;
            SampleConfig cfg = SampleConfig.defaults()
                    .withPrompt(new SampleConfig.Prompt(SampleConfig.PromptKind.START, s))
                    .withDecoding(temperature, 0, 1.0, 0)
                    .withRun(maxLen, 1, rngSeed * 31 + i, SampleConfig.InitialState.ZEROS);
            List<Poem> poems = g.generate(cfg);
            out.add(poems.isEmpty() ? s : poems.getFirst().text().replace("\n", ""));
        }
        return out;
    }
}
