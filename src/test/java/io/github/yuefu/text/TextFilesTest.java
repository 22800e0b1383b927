package io.github.yuefu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding and the bad-input cases: BOM, CRLF, GBK, malformed bytes, empty, binary, mixed encodings, a 50 MB line. */
class TextFilesTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void bomIsDroppedAndCrlfBecomesLf() throws Exception {
        byte[] body = "床前明月光\r\n疑是地上霜\r旧\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        assertEquals("床前明月光\n疑是地上霜\n旧\n", TextFiles.read(write("a.txt", bytes), StandardCharsets.UTF_8));
    }

    @Test
    void gbkReadsWithEncodingAndFailsAsUtf8WithLineOffsetAndHint() throws Exception {
        Path p = write("novel.txt", "第一回\n话说天下大势\n".getBytes(Charset.forName("GBK")));
        assertEquals("第一回\n话说天下大势\n", TextFiles.read(p, Charset.forName("GBK")));
        ConfigException e = assertThrows(ConfigException.class, () -> TextFiles.read(p, StandardCharsets.UTF_8));
        assertTrue(e.getMessage().contains("novel.txt: line 1, byte offset 0"), e.getMessage());
        assertTrue(e.getMessage().contains("--encoding"), e.getMessage());
    }

    @Test
    void mixedEncodingsNameTheLineWhereTheSecondStarts() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write("春眠不觉晓\n处处闻啼鸟\n".getBytes(StandardCharsets.UTF_8));   // 2 lines, 32 bytes
        b.write("夜来风雨声\n".getBytes(Charset.forName("GBK")));
        Path p = write("mixed.txt", b.toByteArray());
        ConfigException e = assertThrows(ConfigException.class, () -> TextFiles.read(p, StandardCharsets.UTF_8));
        assertTrue(e.getMessage().contains("mixed.txt: line 3, byte offset 3"), e.getMessage());
    }

    @Test
    void emptyAndBinaryFilesAreClearErrors() throws Exception {
        Path empty = write("empty.txt", new byte[0]);
        assertTrue(assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(empty))).getMessage().contains("is empty"));
        byte[] bin = new byte[1000];
        for (int i = 0; i < bin.length; i++) bin[i] = (byte) (i * 7);
        Path binary = write("model.bin", bin);
        ConfigException e = assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(binary)));
        assertTrue(e.getMessage().contains("binary"), e.getMessage());
        Path missing = dir.resolve("nope.txt");
        assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(missing)));
    }

    @Test
    void utf16NeedsItsEncodingAndThenReads() throws Exception {
        Path p = write("u16.txt", "山水\n".getBytes(StandardCharsets.UTF_16LE));
        assertThrows(ConfigException.class, () -> TextFiles.read(p, StandardCharsets.UTF_8));
        assertEquals("山水\n", TextFiles.read(p, StandardCharsets.UTF_16LE));
    }

    @Test
    void fiftyMegabyteSingleLineIsACountedSkipNotAHang() throws Exception {
        byte[] line = new byte[50 << 20];
        java.util.Arrays.fill(line, (byte) 'a');
        line[line.length - 1] = '\n';
        Path p = write("huge.txt", line);
        long t0 = System.nanoTime();
        // As poems: no colon, so a counted skip; the only other line is a real poem.
        Files.write(p, "静夜思:床前明月光，疑是地上霜。\n".getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        LoadedCorpus poems = Corpus.load(CorpusConfig.of(p).withFormat(CorpusConfig.Format.POEMS));
        assertEquals(1, poems.documents().size());
        assertEquals(1, poems.report().dropped(CleaningReport.Reason.NO_SEPARATOR));
        // As text by line with a length limit: dropped as too long.
        LoadedCorpus text = Corpus.load(CorpusConfig.of(p).withUnit(CorpusConfig.Unit.LINE).withLengths(null, 1000));
        assertEquals(1, text.report().dropped(CleaningReport.Reason.TOO_LONG));
        assertTrue((System.nanoTime() - t0) / 1e9 < 10, "took too long");
    }

    @Test
    void manyLinesWithoutColonsAreSkippedInLinearTime() throws Exception {
        // Regression: the colon search was not bounded to the line, so each colon-less line scanned the rest of the file.
        String line = "床前明月光疑是地上霜举头望明月低头思故乡".repeat(2) + "\n";
        Path p = write("nocolon.txt", (line.repeat(200_000) + "题:床前明月光，疑是地上霜。\n").getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p).withFormat(CorpusConfig.Format.POEMS));
        assertEquals(200_000, c.report().dropped(CleaningReport.Reason.NO_SEPARATOR));
        assertEquals(1, c.documents().size());
        assertTrue((System.nanoTime() - t0) / 1e9 < 5, "took too long");
    }
}
