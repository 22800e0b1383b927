package io.github.yuefu.data;

import io.github.yuefu.text.CharTokenizer;
import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small synthetic corpora for the batch tests: documents of varied lengths over a tiny alphabet. */
final class DataTestCorpus {
    private DataTestCorpus() {}

    static List<String> documents(int n, int minLen, int maxLen, long seed) {
        Random r = new Random(seed);
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = minLen + r.nextInt(maxLen - minLen + 1);
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < len; k++) sb.appendCodePoint(k == 0 ? 0x2CB3B : "山水日月风花雪夜".codePointAt(r.nextInt(8)));
            docs.add(sb.toString());
        }
        return docs;
    }

    static EncodedCorpus encoded(List<String> docs) {
        return EncodedCorpus.encode(docs, Vocabulary.build(docs, 1000, 1), CharTokenizer.INSTANCE);
    }
}
