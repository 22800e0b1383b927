package io.github.yuefu.cli;

import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.CorpusConfig.Form;
import io.github.yuefu.config.CorpusConfig.Format;
import io.github.yuefu.config.CorpusConfig.Marks;
import io.github.yuefu.config.CorpusConfig.TokenizerKind;
import io.github.yuefu.config.CorpusConfig.Unit;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Option;

/**
 * The corpus options shared by every command that reads a corpus ({@code corpus stats}, {@code train}, {@code eval}):
 * a picocli mixin ({@code @Mixin CorpusOptions corpus;}) that maps its flags to a {@link CorpusConfig}.
 */
public final class CorpusOptions {
    @Option(names = "--format", description = "auto, poems (title:content lines), json (file or directory), tgz (chinese-poetry npm tarball), text", defaultValue = "auto", showDefaultValue = Visibility.ALWAYS)
    Format format;

    @Option(names = "--collection", description = "chinese-poetry collection for a directory or .tgz: tang, song, ci, tang300, ci300, shijing", defaultValue = "tang", showDefaultValue = Visibility.ALWAYS)
    String collection;

    @Option(names = "--unit", description = "plain text documents: stream (whole file), line, block (blank-line separated)", defaultValue = "stream", showDefaultValue = Visibility.ALWAYS)
    Unit unit;

    @Option(names = "--encoding", description = "input charset (UTF-8, GBK, GB18030, Big5, ...)", defaultValue = "UTF-8", showDefaultValue = Visibility.ALWAYS)
    String encoding;

    @Option(names = "--min-length", description = "drop documents shorter than this many characters (default: 5 for poems, 1 for text)")
    Integer minLength;

    @Option(names = "--max-length", description = "drop documents longer than this many characters (default: 79 for poems, none for text)")
    Integer maxLength;

    @Option(names = "--marks", description = "editorial-mark filter: auto (strict for poems, none for text), none, classic (_ ( （ 《 [ B E), strict (also 「 〖 □ ○ { / and private use)", defaultValue = "auto", showDefaultValue = Visibility.ALWAYS)
    Marks marks;

    @Option(names = "--remove-whitespace", negatable = true, description = "remove whitespace inside documents (default: yes for poems, no for text)")
    Boolean removeWhitespace;

    @Option(names = "--form", split = ",", description = "keep only these shapes: wujue, qijue, wulv, qilv (comma-separated)")
    List<Form> forms;

    @Option(names = "--simplify", description = "convert traditional to simplified Chinese (HanLP) before filtering")
    boolean simplify;

    @Option(names = "--tokenizer", description = "char (one token per code point) or word (HanLP segmenter)", defaultValue = "char", showDefaultValue = Visibility.ALWAYS)
    TokenizerKind tokenizer;

    @Option(names = "--max-vocab", description = "vocabulary size including the 4 special tokens; rarer tokens become <unk> (default: no limit)")
    Integer maxVocab;

    @Option(names = "--min-count", description = "tokens seen fewer times become <unk>", defaultValue = "1", showDefaultValue = Visibility.ALWAYS)
    int minCount;

    /** The config for {@code paths} with these options. */
    public CorpusConfig toConfig(List<Path> paths) {
        Set<Form> f = forms == null || forms.isEmpty() ? Set.of() : EnumSet.copyOf(forms);
        return new CorpusConfig(paths, format, collection, unit, CorpusConfig.charset(encoding), minLength, maxLength, marks,
                removeWhitespace, f, simplify, tokenizer, maxVocab == null ? Integer.MAX_VALUE : maxVocab, minCount);
    }
}
