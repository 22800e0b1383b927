package io.github.yuefu.train;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;
import java.nio.file.Path;
import io.github.yuefu.config.TrainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small synthetic "poems" and tiny-model configs for fast training tests. */
public final class TinyCorpus {
    private TinyCorpus() {}

    /** 60 five-character lines built from a few patterns, so a tiny model can learn them. */
    public static List<String> poems() {
        String[] heads = {"日", "红", "山", "夜", "湖", "海", "月"};
        String[] tails = {"照青山", "落江南", "明月光", "白云间", "春风里"};
        List<String> docs = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 60; i++) {
            docs.add(heads[r.nextInt(heads.length)] + "出" + tails[r.nextInt(tails.length)] + "，" + heads[r.nextInt(heads.length)] + tails[i % tails.length] + "。");
        }
        return docs;
    }

    /** The data of {@link #poems()} for a config. */
    public static TrainData data(TrainConfig cfg) {
        Tokenizer tok = Tokenizer.of(CorpusConfig.TokenizerKind.CHAR);
        return CorpusData.build(poems(), tok, Vocabulary.build(poems(), tok, 1000, 1), cfg, null);
    }

    public static CorpusConfig corpusConfig() {
        return CorpusConfig.of(Path.of("tiny-poems.txt"));
    }

    public static TrainConfig.Builder config() {
        TrainConfig.Builder b = new TrainConfig.Builder();
        b.cell = CellType.LSTM;
        b.layers = 2;
        b.embed = 8;
        b.hidden = 12;
        b.batch = 8;
        b.seq = 8;
        b.lr = 1e-2;
        b.valFraction = 0.1;
        b.epochs = 0;
        b.steps = 24;
        b.evalEvery = 8;
        b.logEvery = 4;
        b.sampleLength = 8;
        return b;
    }
}
