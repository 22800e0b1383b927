package io.github.yuefu.text;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.CorpusConfig.Format;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads and cleans a corpus: the entry point of the data pipeline.
 *
 * <pre>{@code
 * CorpusConfig cfg = CorpusConfig.of(Path.of("../shared/data/poems.txt"));      // defaults: auto format, strict marks, 5..79
 * LoadedCorpus corpus = Corpus.load(cfg);                                        // documents (cleaned strings) + report
 * Vocabulary vocab = corpus.buildVocabulary();                                   // cfg.maxVocab / minCount / tokenizer
 * EncodedCorpus enc = EncodedCorpus.encode(corpus, vocab);                       // one flat int[]: G doc E G doc E …
 * Split split = Split.byDocument(enc, 0.05, seed);                               // train / validation subsets
 * Batches train = new PoemBatches(split.train(), 64, seed);                      // or new StreamBatches(split.train(), B, T)
 * Batch b = train.next();                                                        // b.inputs(), b.targets() (B*T), pad = 0
 * }</pre>
 *
 * Errors a user can fix (empty file, wrong encoding, a directory without a corpus, a tarball that is not
 * chinese-poetry, nothing left after cleaning) are {@link ConfigException}s that name the file and say what to do.
 */
public final class Corpus {
    private Corpus() {}

    public static LoadedCorpus load(CorpusConfig config) {
        CleaningReport report = new CleaningReport();
        List<RawDocument> raw = new ArrayList<>();
        Format first = null;
        for (Path p : config.paths()) {
            Format f = read(p, config, raw, report);
            if (first == null) first = f;
        }
        Cleaning cleaning = Cleaning.resolve(config, first);
        List<RawDocument> kept = new Cleaner(cleaning).clean(raw, report);
        raw = null;   // the raw texts can go before the lists below are built
        if (kept.isEmpty()) {
            throw new ConfigException("no documents left in " + describe(config.paths()) + " (" + report.summary()
                    + "); check the file, or loosen --min-length/--max-length/--marks/--form");
        }
        List<String> docs = new ArrayList<>(kept.size());
        List<String> titles = new ArrayList<>(kept.size());
        for (RawDocument d : kept) {
            docs.add(d.text());
            titles.add(d.title());
        }
        return new LoadedCorpus(config, first, cleaning, docs, titles, report);
    }

    /** Reads one path into {@code raw}; returns the format it was read as. */
    static Format read(Path p, CorpusConfig config, List<RawDocument> raw, CleaningReport report) {
        if (!Files.exists(p)) throw new ConfigException(p + ": no such file or directory");
        Format f = config.format() == Format.AUTO ? detect(p) : config.format();
        String source = p.toString();
        switch (f) {
            case JSON -> {
                if (Files.isDirectory(p)) ChinesePoetryReader.readDirectory(p, config.collection(), raw, report);
                else ChinesePoetryReader.readFile(p, raw, report);
            }
            case TGZ -> ChinesePoetryReader.readTarball(p, config.collection(), raw, report);
            case POEMS -> PoemsTxtReader.read(TextFiles.read(p, config.encoding()), source, raw, report);
            case TEXT -> {
                String text = TextFiles.read(p, config.encoding());
                if (config.format() == Format.AUTO && PoemsTxtReader.looksLikePoems(text)) {
                    PoemsTxtReader.read(text, source, raw, report);
                    return Format.POEMS;
                }
                PlainTextReader.read(text, source, config.unit(), raw, report);
            }
            case AUTO -> throw new IllegalStateException();
        }
        return f;
    }

    /**
     * The format of {@code p} from its name and first bytes: a directory → JSON, gzip magic or {@code .tgz} → TGZ,
     * {@code .json} or a leading {@code [} → JSON, else TEXT (which {@link #read} refines to POEMS when the lines
     * look like {@code title:content}).
     */
    public static Format detect(Path p) {
        if (Files.isDirectory(p)) return Format.JSON;
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) return Format.TGZ;
        byte[] head = new byte[64];
        int n;
        try (InputStream in = Files.newInputStream(p)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new ConfigException(p + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return Format.TGZ;
        if (name.endsWith(".json")) return Format.JSON;
        int i = 0;
        if (n >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) i = 3;
        while (i < n && Character.isWhitespace(head[i])) i++;
        if (i < n && head[i] == '[') return Format.JSON;
        return Format.TEXT;
    }

    private static String describe(List<Path> paths) {
        return paths.size() == 1 ? paths.get(0).toString() : paths.size() + " paths";
    }
}
