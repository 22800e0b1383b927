package io.github.yuefu.train;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.TrainConfig;
import io.github.yuefu.text.Vocabulary;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * From a corpus file to {@link TrainData}: documents → vocabulary → seeded split by document → batch sources.
 *
 * <p>A small built-in reader (poems.txt {@code title:content} lines with the classic filter, or one document per
 * line of plain text) so training works on its own; the text package's readers (chinese-poetry JSON, encodings,
 * more filters) plug in through {@link #fromDocuments}.
 */
public final class CorpusData {
    /** Editorial marks the classic Tang-poem pipeline drops poems for. */
    private static final String CLASSIC_MARKS = "_(（《[";

    private CorpusData() {}

    public static TrainData load(TrainConfig cfg) {
        return fromDocuments(readDocuments(cfg), cfg);
    }

    /** Documents of a file, cleaned and filtered per the config. */
    public static List<String> readDocuments(TrainConfig cfg) {
        Path file = Path.of(cfg.corpus());
        if (Files.isDirectory(file)) throw new ConfigException("--corpus " + file + " is a directory; give a text file");
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--corpus " + file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new ConfigException("--corpus " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("--corpus " + file + ": cannot read (" + e.getMessage() + ")");
        }
        boolean poems = switch (cfg.format()) {
            case "poems" -> true;
            case "lines", "text" -> false;
            case "auto" -> looksLikePoems(lines);
            default -> throw new ConfigException("unknown --format '" + cfg.format() + "': use auto, poems or lines");
        };
        List<String> docs = new ArrayList<>();
        for (String line : lines) {
            String s = line;
            if (!s.isEmpty() && s.charAt(0) == '\uFEFF') s = s.substring(1);
            if (poems) {
                int colon = s.indexOf(':');
                if (colon < 0) continue;
                s = s.substring(colon + 1);
            }
            s = s.replaceAll("\\s+", "");
            if (s.isEmpty() || !keep(s, cfg)) continue;
            docs.add(s);
        }
        if (docs.isEmpty()) throw new ConfigException("--corpus " + file + ": no documents left after filtering (--filter " + cfg.filter() + ")");
        return docs;
    }

    private static boolean looksLikePoems(List<String> lines) {
        int n = 0, colon = 0;
        for (String l : lines) {
            if (l.isBlank()) continue;
            if (l.indexOf(':') > 0) colon++;
            if (++n == 200) break;
        }
        return n > 0 && colon * 10 >= n * 9;
    }

    private static boolean keep(String s, TrainConfig cfg) {
        int len = s.codePointCount(0, s.length());
        if (len < cfg.minLength() || len > cfg.maxLength()) return false;
        return switch (cfg.filter()) {
            case "none" -> true;
            case "classic" -> s.chars().noneMatch(c -> CLASSIC_MARKS.indexOf(c) >= 0);
            default -> throw new ConfigException("unknown --filter '" + cfg.filter() + "': use classic or none");
        };
    }

    /** Vocabulary over all documents, split by document with --seed, batch sources per --mode. */
    public static TrainData fromDocuments(List<String> docs, TrainConfig cfg) {
        Map<String, Long> counts = new HashMap<>();
        for (String d : docs) d.codePoints().forEach(cp -> counts.merge(Character.toString(cp), 1L, Long::sum));
        Vocabulary vocab = Vocabulary.fromCounts(counts, cfg.maxVocab(), cfg.minCount());
        List<int[]> encoded = new ArrayList<>(docs.size());
        for (String d : docs) encoded.add(d.codePoints().map(cp -> vocab.id(Character.toString(cp))).toArray());
        // Split by document: a seeded permutation, the first ⌈f·n⌉ documents are held out.
        int n = encoded.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom r = new SplittableRandom(cfg.seed());
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int nVal = Math.max(1, (int) Math.ceil(cfg.valFraction() * n));
        if (nVal >= n) throw new ConfigException("corpus has only " + n + " documents: too few to hold out a validation split");
        List<int[]> val = new ArrayList<>(), train = new ArrayList<>();
        for (int i = 0; i < n; i++) (i < nVal ? val : train).add(encoded.get(perm[i]));
        BatchSource trainSrc, valSrc;
        if (cfg.mode() == TrainConfig.Mode.POEM) {
            trainSrc = new PoemBatchSource(train, cfg.batch(), cfg.seed(), true);
            valSrc = new PoemBatchSource(val, cfg.batch(), cfg.seed(), false);
        } else {
            trainSrc = new StreamBatchSource(concat(train), cfg.batch(), cfg.seq());
            valSrc = new StreamBatchSource(concat(val), cfg.batch(), cfg.seq());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("split", String.format(java.util.Locale.ROOT,
                "{\"seed\":%d,\"val_fraction\":%s,\"by\":\"document\",\"train_documents\":%d,\"val_documents\":%d}",
                cfg.seed(), cfg.valFraction(), train.size(), val.size()));
        return new TrainData(vocab, trainSrc, valSrc, meta);
    }

    /** G doc E G doc E … as one stream. */
    static int[] concat(List<int[]> docs) {
        int len = 0;
        for (int[] d : docs) len += d.length + 2;
        int[] out = new int[len];
        int p = 0;
        for (int[] d : docs) {
            out[p++] = Vocabulary.BEGIN;
            System.arraycopy(d, 0, out, p, d.length);
            p += d.length;
            out[p++] = Vocabulary.END;
        }
        return out;
    }
}
