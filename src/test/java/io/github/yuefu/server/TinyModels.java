package io.github.yuefu.server;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real {@link GeneratorPoemService} over a tiny randomly initialised LSTM: its poems are nonsense, but the
 * generator's form masks guarantee their shape, which is what the API and browser tests check. Built in
 * milliseconds, so tests need no trained model file.
 */
final class TinyModels {
    private TinyModels() {}

    /** Common characters of every tone and rhyme group, and the two clause marks. */
    static final String CHARS = "月明山水风花雪春秋江天云日夜人何处不知来去相思长空高清白青红飞归南北东西"
            + "中上下前后千里万家门声时年心情深远寒香落开生流光古今孤城";

    static Vocabulary vocabulary() {
        List<String> tokens = new ArrayList<>(Vocabulary.SPECIALS);
        tokens.add("，");
        tokens.add("。");
        CHARS.codePoints().forEach(cp -> tokens.add(Character.toString(cp)));
        return new Vocabulary(tokens);
    }

    static GeneratorPoemService service(String... names) {
        Vocabulary vocab = vocabulary();
        List<GeneratorPoemService.Served> served = new ArrayList<>();
        long seed = 1;
        for (String name : names) {
            LanguageModel m = new LanguageModel(new ModelConfig(CellType.LSTM, 1, vocab.size(), InputKind.EMBEDDING, 16, 32, 0f));
            m.initialize(seed++);
            served.add(new GeneratorPoemService.Served(name, m, vocab, Map.of("note", "random weights (test)")));
        }
        return new GeneratorPoemService(served);
    }
}
