package io.github.yuefu.text;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.seg.Segment;
import com.hankcs.hanlp.seg.common.Term;
import io.github.yuefu.config.CorpusConfig.TokenizerKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Words from HanLP portable's default segmenter (loads in ~0.3 s; maintained, unlike the jieba Java port).
 * Line breaks are cut out before segmentation and kept as {@link Vocabulary#LINE_BREAK} tokens so prose keeps its
 * paragraphs; everything else HanLP returns is kept as is, so the tokens concatenate back to the text.
 * HanLP segments are not documented as thread-safe: one tokenizer per thread, or the synchronized calls here.
 */
public final class WordTokenizer implements Tokenizer {
    private final Segment segment = HanLP.newSegment().enablePartOfSpeechTagging(false);

    @Override
    public TokenizerKind kind() {
        return TokenizerKind.WORD;
    }

    @Override
    public synchronized List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (from <= text.length()) {
            int nl = text.indexOf('\n', from);
            int to = nl < 0 ? text.length() : nl;
            if (to > from) addWords(text.substring(from, to), out);
            if (nl < 0) break;
            out.add(Vocabulary.LINE_BREAK);
            from = nl + 1;
        }
        return out;
    }

    private void addWords(String line, List<String> out) {
        int mark = out.size();
        StringBuilder seen = new StringBuilder(line.length());
        for (Term t : segment.seg(line)) {
            out.add(t.word);
            seen.append(t.word);
        }
        // HanLP may normalise or drop characters in odd input; never lose text: fall back to code points.
        if (!seen.toString().equals(line)) {
            out.subList(mark, out.size()).clear();
            out.addAll(CharTokenizer.INSTANCE.split(line));
        }
    }
}
