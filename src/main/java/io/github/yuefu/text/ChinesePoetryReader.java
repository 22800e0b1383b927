package io.github.yuefu.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.text.CleaningReport.Reason;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * The chinese-poetry collection (github.com/chinese-poetry/chinese-poetry, npm {@code chinese-poetry} 2.0.1):
 * JSON arrays of poems with {@code title} (or {@code rhythmic} for ci), {@code paragraphs} (or {@code content} for
 * the Shijing) and {@code author}. Read from one JSON file, a directory (searched recursively), or the npm tarball
 * itself, streamed through commons-compress without unpacking. A poem's text is its paragraphs joined with nothing
 * between them, as poems.txt was made.
 *
 * <p>Collections, by file name (files in {@code error/}, {@code rank/} and {@code strains/} folders, which hold
 * corrections, popularity and tone patterns, are skipped): {@code tang} = {@code poet.tang.N.json},
 * {@code song} = {@code poet.song.N.json}, {@code ci} = {@code ci.song.N.json}, {@code tang300} = {@code 唐诗三百首.json},
 * {@code ci300} = {@code 宋词三百首.json}, {@code shijing} = {@code shijing.json}. Numbered files are read in numeric order.
 */
final class ChinesePoetryReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("\\.(\\d+)(y?)\\.json$");

    private ChinesePoetryReader() {}

    /** File-name pattern of a collection. */
    static Pattern pattern(String collection) {
        return Pattern.compile(switch (collection) {
            case "tang" -> "poet\\.tang\\.\\d+\\.json";
            case "song" -> "poet\\.song\\.\\d+\\.json";
            case "ci" -> "ci\\.song\\.\\d+y?\\.json";
            case "tang300" -> "唐诗三百首\\.json";
            case "ci300" -> "宋词三百首\\.json";
            case "shijing" -> "shijing\\.json";
            default -> throw new ConfigException("unknown collection '" + collection + "'");
        });
    }

    private static String example(String collection) {
        return switch (collection) {
            case "tang" -> "poet.tang.0.json";
            case "song" -> "poet.song.0.json";
            case "ci" -> "ci.song.0.json";
            case "tang300" -> "唐诗三百首.json";
            case "ci300" -> "宋词三百首.json";
            default -> "shijing.json";
        };
    }

    /** True if the path (a file name inside a directory or a tarball) belongs to the collection. */
    static boolean matches(String path, Pattern pattern) {
        String p = "/" + path.replace('\\', '/');
        if (p.contains("/error/") || p.contains("/rank/") || p.contains("/strains/")) return false;
        String name = p.substring(p.lastIndexOf('/') + 1);
        return pattern.matcher(name).matches();
    }

    /** Order of numbered files: by number, the "2019y" supplement after the plain numbers. */
    static final Comparator<String> FILE_ORDER = Comparator
            .comparing((String n) -> { Matcher m = NUMBER.matcher(n); return m.find() && !m.group(2).isEmpty() ? 1 : 0; })
            .thenComparingLong(n -> { Matcher m = NUMBER.matcher(n); return m.find() ? Long.parseLong(m.group(1)) : -1; })
            .thenComparing(Comparator.naturalOrder());

    static void readFile(Path file, List<RawDocument> out, CleaningReport report) {
        byte[] bytes = TextFiles.readBytes(file);
        parse(bytes, file.toString(), out, report);
    }

    static void readDirectory(Path dir, String collection, List<RawDocument> out, CleaningReport report) {
        Pattern pattern = pattern(collection);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, 6)) {
            files = walk.filter(Files::isRegularFile).filter(p -> matches(dir.relativize(p).toString(), pattern))
                    .sorted(Comparator.comparing(p -> p.toString(), FILE_ORDER)).toList();
        } catch (IOException e) {
            throw new ConfigException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        if (files.isEmpty()) {
            throw new ConfigException("directory " + dir + " holds no corpus: no chinese-poetry files of collection '" + collection
                    + "' (like " + example(collection) + "); pass a corpus file, or --collection for another collection");
        }
        for (Path f : files) parse(TextFiles.readBytes(f), f.toString(), out, report);
    }

    /** The npm tarball, streamed: gzip → tar → matching entries parsed in numeric order. */
    static void readTarball(Path tgz, String collection, List<RawDocument> out, CleaningReport report) {
        Pattern pattern = pattern(collection);
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        int entries = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(tgz), 1 << 16);
             GzipCompressorInputStream gz = new GzipCompressorInputStream(raw, true);
             TarArchiveInputStream tar = new TarArchiveInputStream(gz, StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries++;
                if (!e.isFile() || !matches(e.getName(), pattern)) continue;
                if (e.getSize() > TextFiles.MAX_BYTES) throw new ConfigException(tgz + ": entry " + e.getName() + " is too large");
                names.add(e.getName());
                contents.add(tar.readAllBytes());
            }
        } catch (ConfigException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(tgz + " is not a readable .tgz (" + e.getMessage()
                    + "); pass chinese-poetry-2.0.1.tgz from 'yuefu corpus fetch', or a JSON file or directory", e);
        }
        if (names.isEmpty()) {
            throw new ConfigException(tgz + " (" + entries + " entries) holds no chinese-poetry files of collection '" + collection
                    + "' (like package/dist/quantangshi/" + example(collection) + "); is it chinese-poetry-2.0.1.tgz? Try --collection");
        }
        Integer[] order = new Integer[names.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, Comparator.comparing(names::get, FILE_ORDER));
        for (int i : order) {
            parse(contents.get(i), tgz + "!" + names.get(i), out, report);
            contents.set(i, null);   // let the bytes go as soon as parsed
        }
    }

    /** One JSON array of poems. Entries without text are counted (NO_TEXT); a file that is not such an array is an error. */
    static void parse(byte[] bytes, String source, List<RawDocument> out, CleaningReport report) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + " (" + e.getOriginalMessage() + "); chinese-poetry files are JSON arrays of poems", e);
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isArray()) {
            throw new ConfigException(source + " is not chinese-poetry JSON: expected an array of poems with \"paragraphs\"");
        }
        int index = 0;
        for (JsonNode poem : root) {
            index++;
            report.countRead();
            JsonNode lines = poem.has("paragraphs") ? poem.get("paragraphs") : poem.get("content");
            if (lines == null || !lines.isArray() || lines.isEmpty()) {
                report.drop(Reason.NO_TEXT, source + ":" + index);
                continue;
            }
            StringBuilder text = new StringBuilder();
            for (JsonNode l : lines) text.append(l.asText());
            String title = poem.has("title") ? poem.get("title").asText() : poem.has("rhythmic") ? poem.get("rhythmic").asText() : "";
            if (text.isEmpty()) report.drop(Reason.EMPTY_CONTENT, source + ":" + index);
            else out.add(new RawDocument(source, index, title.strip(), text.toString()));
        }
    }
}
