package io.github.yuefu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.CorpusConfig.Format;
import io.github.yuefu.config.CorpusConfig.Marks;
import io.github.yuefu.text.CleaningReport.Reason;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** chinese-poetry JSON: one file, a directory, a fake npm tarball built here with commons-compress, and bad inputs. */
class ChinesePoetryReaderTest {
    @TempDir
    Path dir;

    static String poem(String title, String... lines) {
        StringBuilder sb = new StringBuilder("{\"author\":\"佚名\",\"title\":\"" + title + "\",\"paragraphs\":[");
        for (int i = 0; i < lines.length; i++) sb.append(i > 0 ? "," : "").append('"').append(lines[i]).append('"');
        return sb.append("],\"id\":\"x\"}").toString();
    }

    static String array(String... poems) {
        return "[\n" + String.join(",\n", poems) + "\n]";
    }

    private Path file(Path p, String text) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void jsonFileJoinsParagraphsAndCountsEntriesWithoutText() throws Exception {
        Path p = file(dir.resolve("poet.tang.0.json"), array(
                poem("靜夜思", "床前明月光，疑是地上霜。", "舉頭望明月，低頭思故鄉。"),
                "{\"title\":\"殘\",\"paragraphs\":[]}",
                "{\"rhythmic\":\"浣溪沙\",\"paragraphs\":[\"一曲新詞酒一杯，\",\"去年天氣舊亭臺。\"]}"));
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p));
        assertEquals(Format.JSON, c.format());
        assertEquals(List.of("床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。", "一曲新詞酒一杯，去年天氣舊亭臺。"), c.documents());
        assertEquals(List.of("靜夜思", "浣溪沙"), c.titles());
        assertEquals(1, c.report().dropped(Reason.NO_TEXT));
    }

    @Test
    void directoryReadsTheCollectionInNumericOrderAndSkipsErrorFolders() throws Exception {
        file(dir.resolve("poet.tang.1000.json"), array(poem("二", "第二首詩在這裏。")));
        file(dir.resolve("poet.tang.0.json"), array(poem("一", "第一首詩在這裏。")));
        file(dir.resolve("error/poet.tang.0.json"), array(poem("錯", "錯誤的詩在這裏。")));
        file(dir.resolve("ci.song.0.json"), "[{\"rhythmic\":\"詞\",\"paragraphs\":[\"宋詞一首在這裏。\"]}]");
        assertEquals(List.of("第一首詩在這裏。", "第二首詩在這裏。"), Corpus.load(CorpusConfig.of(dir)).documents());
        assertEquals(List.of("宋詞一首在這裏。"), Corpus.load(CorpusConfig.of(dir).withCollection("ci")).documents());
        ConfigException e = assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(dir).withCollection("shijing")));
        assertTrue(e.getMessage().contains("holds no corpus"), e.getMessage());
    }

    @Test
    void emptyDirectoryIsAClearError() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.md"), "nothing here");
        ConfigException e = assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(empty)));
        assertTrue(e.getMessage().contains("holds no corpus") && e.getMessage().contains("poet.tang.0.json"), e.getMessage());
    }

    static void tarball(Path tgz, Map<String, String> entries) throws Exception {
        try (OutputStream out = Files.newOutputStream(tgz);
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz, "UTF-8")) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(b.length);
                tar.putArchiveEntry(te);
                tar.write(b);
                tar.closeArchiveEntry();
            }
        }
    }

    @Test
    void npmTarballIsReadWithoutUnpacking() throws Exception {
        Path tgz = dir.resolve("chinese-poetry-2.0.1.tgz");
        tarball(tgz, new java.util.LinkedHashMap<>(Map.of(
                "package/package.json", "{\"name\":\"chinese-poetry\"}",
                "package/dist/quantangshi/poet.tang.1000.json", array(poem("乙", "第二首詩在這裏。")),
                "package/dist/quantangshi/poet.tang.0.json", array(poem("甲", "第一首詩在這裏。")),
                "package/dist/quantangshi/error/poet.tang.0.json", array(poem("錯", "錯誤的詩在這裏。")),
                "package/dist/rank/poet/poet.tang.rank.0.json", "[]",
                "package/dist/quantangshi/唐诗三百首.json", array(poem("蟬", "西陸蟬聲唱，南冠客思侵。")))));
        LoadedCorpus c = Corpus.load(CorpusConfig.of(tgz));
        assertEquals(Format.TGZ, c.format());
        assertEquals(List.of("第一首詩在這裏。", "第二首詩在這裏。"), c.documents());
        LoadedCorpus t300 = Corpus.load(CorpusConfig.of(tgz).withCollection("tang300").withSimplify(true));
        assertEquals(List.of("西陆蝉声唱，南冠客思侵。"), t300.documents());
    }

    @Test
    void tarballThatIsNotChinesePoetryIsAClearError() throws Exception {
        Path other = dir.resolve("other.tgz");
        tarball(other, Map.of("package/index.js", "module.exports = 1;", "package/data.json", "[]"));
        ConfigException e = assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(other)));
        assertTrue(e.getMessage().contains("holds no chinese-poetry files") && e.getMessage().contains("2 entries"), e.getMessage());
        Path notGzip = file(dir.resolve("fake.tgz"), "this is not gzip at all");
        ConfigException e2 = assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(notGzip)));
        assertTrue(e2.getMessage().contains("not a readable .tgz"), e2.getMessage());
    }

    @Test
    void jsonThatIsNotAPoemArrayIsAClearError() throws Exception {
        Path obj = file(dir.resolve("a.json"), "{\"poems\": 1}");
        assertTrue(assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(obj))).getMessage().contains("not chinese-poetry JSON"));
        Path broken = file(dir.resolve("b.json"), "[{\"title\": \"x\", ");
        assertTrue(assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(broken))).getMessage().contains("not valid JSON"));
        Path withMarks = file(dir.resolve("c.json"), array(poem("x", "白日依山尽□，黄河入海流。")));
        assertEquals(1, Corpus.load(CorpusConfig.of(withMarks).withMarks(Marks.NONE)).documents().size());
    }
}
