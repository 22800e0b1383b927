package io.github.yuefu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.CorpusConfig.Form;
import io.github.yuefu.config.CorpusConfig.Format;
import io.github.yuefu.config.CorpusConfig.Marks;
import io.github.yuefu.config.CorpusConfig.Unit;
import io.github.yuefu.text.CleaningReport.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** poems.txt parsing, plain-text units, format detection and every cleaning step, on small files built here. */
class CorpusTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void poemsSplitOnTheFirstAsciiColonAndCountSkips() throws Exception {
        Path p = file("poems.txt", String.join("\n",
                "静夜思:床前明月光，疑是地上霜。",
                "题：全角冒号:春眠不觉晓，处处闻啼鸟。",      // full-width colon in the title is text
                "无题:一二三四五：六七八九十。",              // full-width colon in the content stays
                "没有冒号的一行",
                "",
                "空内容:",
                ":无题之诗，也要留下。",
                "首:a:b两个冒号之后的都是内容"));
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p).withMarks(Marks.NONE));
        assertEquals(Format.POEMS, c.format());
        assertEquals(List.of("床前明月光，疑是地上霜。", "春眠不觉晓，处处闻啼鸟。", "一二三四五：六七八九十。",
                "无题之诗，也要留下。", "a:b两个冒号之后的都是内容"), c.documents());
        assertEquals("题：全角冒号", c.titles().get(1));
        CleaningReport r = c.report();
        assertEquals(8, r.read());
        assertEquals(1, r.dropped(Reason.NO_SEPARATOR));
        assertEquals(1, r.dropped(Reason.BLANK_LINE));
        assertEquals(1, r.dropped(Reason.EMPTY_CONTENT));
        assertEquals(r.read(), r.kept() + r.droppedTotal());
        assertEquals(p + ":4", r.firstExample(Reason.NO_SEPARATOR));
    }

    @Test
    void classicAndStrictMarkFilters() throws Exception {
        Path p = file("poems.txt", String.join("\n",
                "a:白日依山尽，黄河入海流。",
                "b:白日依山尽（一作「叉」），黄河入海流。",
                "c:白日依山「尽」，黄河入海流。",
                "d:白日依山□，黄河入海流。",
                "e:白日{𥫗/戢}山，黄河入海流。",
                "f:白日依山〖注〗，黄河入海流。",
                "g:白日依山\uE000，黄河入海流。",
                "h:白日依山《书》，黄河入海流。"));
        LoadedCorpus classic = Corpus.load(CorpusConfig.of(p).withMarks(Marks.CLASSIC));
        assertEquals(2, classic.report().dropped(Reason.MARKS));   // only （ and 《
        LoadedCorpus strict = Corpus.load(CorpusConfig.of(p));        // strict is the poem default
        assertEquals(7, strict.report().dropped(Reason.MARKS));
        assertEquals(List.of("白日依山尽，黄河入海流。"), strict.documents());
    }

    @Test
    void whitespaceLengthAndFormFilters() throws Exception {
        Path p = file("poems.txt", String.join("\n",
                "五绝:白日依山尽，黄河入海流。欲穷千里目，更上一层楼。",
                "七绝:朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。",
                "空格:白日 依山尽，\u3000黄河入海流。",
                "短:一二三四",
                "长:" + "一".repeat(80)));
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p));
        assertEquals(3, c.documents().size());
        assertEquals("白日依山尽，黄河入海流。", c.documents().get(2));
        assertEquals(1, c.report().whitespaceChanged());
        assertEquals(1, c.report().dropped(Reason.TOO_SHORT));
        assertEquals(1, c.report().dropped(Reason.TOO_LONG));
        LoadedCorpus jue = Corpus.load(CorpusConfig.of(p).withForms(Set.of(Form.QIJUE)));
        assertEquals(List.of("朝辞白帝彩云间，千里江陵一日还。两岸猿声啼不住，轻舟已过万重山。"), jue.documents());
        assertEquals(Form.WUJUE, Cleaner.form("白日依山尽，黄河入海流。欲穷千里目，更上一层楼。"));
        assertEquals(null, Cleaner.form("白日依山尽，黄河入海流。"));
        LoadedCorpus wide = Corpus.load(CorpusConfig.of(p).withLengths(1, 200));
        assertEquals(5, wide.documents().size());
    }

    @Test
    void traditionalToSimplified() throws Exception {
        Path p = file("t.txt", "詩:南龍興寺春晴後，緩步徐吟繞四廊。\n");
        LoadedCorpus c = Corpus.load(CorpusConfig.of(p).withSimplify(true));
        assertEquals("南龙兴寺春晴后，缓步徐吟绕四廊。", c.documents().get(0));
        assertEquals(1, c.report().simplifiedChanged());
    }

    @Test
    void plainTextUnits() throws Exception {
        Path p = file("lyrics.txt", "Hey 窗外的麻雀\n在电线杆上多嘴\n\n\n你说这一句\r\n很有夏天的感觉\n");
        LoadedCorpus stream = Corpus.load(CorpusConfig.of(p));
        assertEquals(Format.TEXT, stream.format());
        assertEquals(List.of("Hey 窗外的麻雀\n在电线杆上多嘴\n\n\n你说这一句\n很有夏天的感觉\n"), stream.documents());
        LoadedCorpus lines = Corpus.load(CorpusConfig.of(p).withUnit(Unit.LINE));
        assertEquals(List.of("Hey 窗外的麻雀", "在电线杆上多嘴", "你说这一句", "很有夏天的感觉"), lines.documents());
        assertEquals(2, lines.report().dropped(Reason.BLANK_LINE));
        LoadedCorpus blocks = Corpus.load(CorpusConfig.of(p).withUnit(Unit.BLOCK));
        assertEquals(List.of("Hey 窗外的麻雀\n在电线杆上多嘴", "你说这一句\n很有夏天的感觉"), blocks.documents());
    }

    @Test
    void nothingLeftIsAnErrorThatShowsTheReport() throws Exception {
        Path p = file("poems.txt", "a:一二\nb:三四\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Corpus.load(CorpusConfig.of(p)));
        assertTrue(e.getMessage().contains("no documents left") && e.getMessage().contains("shorter"), e.getMessage());
    }

    @Test
    void badOptionsFailInTheConfig() {
        Path p = dir.resolve("x.txt");
        assertThrows(ConfigException.class, () -> CorpusConfig.of(p).withLengths(10, 5));
        assertThrows(ConfigException.class, () -> CorpusConfig.of(p).withCollection("bogus"));
        assertThrows(ConfigException.class, () -> CorpusConfig.charset("no-such-charset"));
        assertThrows(ConfigException.class, () -> CorpusConfig.of(p).withVocab(3, 1));
    }
}
