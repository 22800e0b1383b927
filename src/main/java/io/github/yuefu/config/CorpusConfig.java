package io.github.yuefu.config;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where a corpus comes from and how it is cleaned and tokenized: everything {@code io.github.yuefu.text.Corpus.load}
 * needs. Immutable; validated here so a bad option fails before any file is read.
 *
 * <p>Cleaning options left {@code null} (and {@link Marks#AUTO}) take the format's default: poem formats
 * ({@code poems.txt}, chinese-poetry JSON / tarball) keep 5..79 code points, drop poems with editorial marks
 * ({@link Marks#STRICT}) and remove whitespace; plain text keeps everything (a lyric line of 3 characters or a
 * novel with spaces is not damaged text). See {@code text.Cleaning} for the resolved values.
 *
 * @param paths      corpus files or directories (at least one); all are read and concatenated in order
 * @param format     {@link Format#AUTO} guesses from the name and the first bytes
 * @param collection which chinese-poetry collection to read from a JSON directory or the npm tarball:
 *                   {@code tang}, {@code song}, {@code ci}, {@code tang300}, {@code ci300}, {@code shijing}
 * @param unit       how plain text is cut into documents (poem formats always give one document per poem)
 * @param encoding   input charset; UTF-8 by default, a UTF-8 BOM is tolerated
 * @param minLength  shortest kept document in code points (after whitespace removal), null = format default
 * @param maxLength  longest kept document in code points, null = format default
 * @param marks      editorial-mark filter, {@link Marks#AUTO} = format default
 * @param removeWhitespace remove all whitespace inside documents, null = format default
 * @param forms      keep only poems of these shapes (empty = every shape)
 * @param simplify   convert traditional → simplified Chinese (HanLP's converter) before filtering
 * @param tokenizer  character (one code point per token) or word (HanLP segmenter)
 * @param maxVocab   vocabulary size including the 4 special tokens; rarer tokens map to unk
 * @param minCount   tokens seen fewer times map to unk
 */
public record CorpusConfig(
        List<Path> paths,
        Format format,
        String collection,
        Unit unit,
        Charset encoding,
        Integer minLength,
        Integer maxLength,
        Marks marks,
        Boolean removeWhitespace,
        Set<Form> forms,
        boolean simplify,
        TokenizerKind tokenizer,
        int maxVocab,
        int minCount) {

    /** Input file format. */
    public enum Format {
        /** Guess: directory → JSON files, {@code .tgz} → tarball, {@code .json} → JSON, {@code title:content} lines → poems, else text. */
        AUTO,
        /** {@code title:content}, one poem per line (tensorflow_poems' {@code poems.txt}). */
        POEMS,
        /** chinese-poetry JSON: one file or a directory of them. */
        JSON,
        /** the chinese-poetry npm tarball ({@code chinese-poetry-2.0.1.tgz}), read without unpacking. */
        TGZ,
        /** plain text, cut into documents by {@link Unit}. */
        TEXT
    }

    /** How plain text becomes documents. */
    public enum Unit {
        /** the whole file is one document; line breaks are kept as ordinary tokens. */
        STREAM,
        /** each non-blank line is a document. */
        LINE,
        /** each blank-line-separated block is a document (its inner line breaks kept). */
        BLOCK
    }

    /** Which editorial marks make a poem count as damaged and be dropped. */
    public enum Marks {
        /** the format's default: STRICT for poems, NONE for text. */
        AUTO,
        /** keep everything. */
        NONE,
        /** tensorflow_poems' filter: {@code _ ( （ 《 [ B E} — lets 「」, 〖〗, □, {…/…} through. */
        CLASSIC,
        /** {@code _ ( （ 《 [ 「 〖 □ ○ { /} and private-use code points. */
        STRICT
    }

    /** Regular poem shapes for {@code --form}: lines × characters per line. */
    public enum Form {
        WUJUE(4, 5), QIJUE(4, 7), WULV(8, 5), QILV(8, 7);

        public final int lines;
        public final int charsPerLine;

        Form(int lines, int charsPerLine) {
            this.lines = lines;
            this.charsPerLine = charsPerLine;
        }
    }

    /** Character (code point) or word (HanLP segmenter) tokens. */
    public enum TokenizerKind { CHAR, WORD }

    public static final List<String> COLLECTIONS = List.of("tang", "song", "ci", "tang300", "ci300", "shijing");

    public CorpusConfig {
        if (paths == null || paths.isEmpty()) throw new ConfigException("no corpus given: pass a file, a directory or a .tgz");
        paths = List.copyOf(paths);
        if (format == null) format = Format.AUTO;
        if (collection == null) collection = "tang";
        if (!COLLECTIONS.contains(collection)) {
            throw new ConfigException("--collection must be one of " + COLLECTIONS + ", got '" + collection + "'");
        }
        if (unit == null) unit = Unit.STREAM;
        if (encoding == null) encoding = StandardCharsets.UTF_8;
        if (minLength != null && minLength < 0) throw new ConfigException("--min-length must be >= 0, got " + minLength);
        if (maxLength != null && maxLength < 1) throw new ConfigException("--max-length must be >= 1, got " + maxLength);
        if (minLength != null && maxLength != null && minLength > maxLength) {
            throw new ConfigException("--min-length " + minLength + " is greater than --max-length " + maxLength);
        }
        if (marks == null) marks = Marks.AUTO;
        forms = forms == null || forms.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(forms));
        if (tokenizer == null) tokenizer = TokenizerKind.CHAR;
        if (maxVocab < 5) throw new ConfigException("--max-vocab must be at least 5 (4 special tokens + 1), got " + maxVocab);
        if (minCount < 1) throw new ConfigException("--min-count must be at least 1, got " + minCount);
    }

    /** Defaults for one file: auto format, tang collection, stream unit, UTF-8, format-default cleaning, chars, no vocab limit. */
    public static CorpusConfig of(Path path) {
        return new CorpusConfig(List.of(path), Format.AUTO, "tang", Unit.STREAM, StandardCharsets.UTF_8,
                null, null, Marks.AUTO, null, Set.of(), false, TokenizerKind.CHAR, Integer.MAX_VALUE, 1);
    }

    public CorpusConfig withFormat(Format f) {
        return new CorpusConfig(paths, f, collection, unit, encoding, minLength, maxLength, marks, removeWhitespace, forms, simplify, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withCollection(String c) {
        return new CorpusConfig(paths, format, c, unit, encoding, minLength, maxLength, marks, removeWhitespace, forms, simplify, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withUnit(Unit u) {
        return new CorpusConfig(paths, format, collection, u, encoding, minLength, maxLength, marks, removeWhitespace, forms, simplify, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withEncoding(Charset e) {
        return new CorpusConfig(paths, format, collection, unit, e, minLength, maxLength, marks, removeWhitespace, forms, simplify, tokenizer, maxVocab, minCount);
    }

    /** Length limits in code points; either may be null for the format's default. */
    public CorpusConfig withLengths(Integer min, Integer max) {
        return new CorpusConfig(paths, format, collection, unit, encoding, min, max, marks, removeWhitespace, forms, simplify, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withMarks(Marks m) {
        return new CorpusConfig(paths, format, collection, unit, encoding, minLength, maxLength, m, removeWhitespace, forms, simplify, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withRemoveWhitespace(Boolean r) {
        return new CorpusConfig(paths, format, collection, unit, encoding, minLength, maxLength, marks, r, forms, simplify, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withForms(Set<Form> f) {
        return new CorpusConfig(paths, format, collection, unit, encoding, minLength, maxLength, marks, removeWhitespace, f, simplify, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withSimplify(boolean s) {
        return new CorpusConfig(paths, format, collection, unit, encoding, minLength, maxLength, marks, removeWhitespace, forms, s, tokenizer, maxVocab, minCount);
    }

    public CorpusConfig withTokenizer(TokenizerKind t) {
        return new CorpusConfig(paths, format, collection, unit, encoding, minLength, maxLength, marks, removeWhitespace, forms, simplify, t, maxVocab, minCount);
    }

    public CorpusConfig withVocab(int max, int min) {
        return new CorpusConfig(paths, format, collection, unit, encoding, minLength, maxLength, marks, removeWhitespace, forms, simplify, tokenizer, max, min);
    }

    /** Charset by name for {@code --encoding}, with a readable error. */
    public static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--encoding '" + name + "' is not a charset this JVM knows (try UTF-8, GBK, GB18030, Big5, UTF-16)");
        }
    }
}
