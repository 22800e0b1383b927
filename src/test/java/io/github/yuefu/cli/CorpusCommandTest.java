package io.github.yuefu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CorpusCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void statsPrintsTheFiguresAndWhatEachFilterDrops() throws Exception {
        Path p = dir.resolve("poems.txt");
        Files.writeString(p, "a:白日依山尽，黄河入海流。欲穷千里目，更上一层楼。\nb:白日依山（尽），黄河入海流。\nc:短\nd:𬬻日依山尽，黄河入海流。\n", StandardCharsets.UTF_8);
        Result r = run("corpus", "stats", p.toString(), "--time");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("kept            2 documents"), r.out());
        assertTrue(r.out().contains("editorial marks"), r.out());
        assertTrue(r.out().contains("distinct        23 characters (1 outside the BMP)"), r.out());
        assertTrue(r.out().contains("cover 99%"), r.out());
        assertTrue(r.out().contains("time "), r.out());
    }

    @Test
    void badInputExitsTwoWithOneLine() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Result r = run("corpus", "stats", empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("yuefu: ") && r.err().contains("is empty"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        Path gbk = dir.resolve("gbk.txt");
        Files.write(gbk, "第一回 话说天下大势\n".getBytes("GBK"));
        Result bad = run("corpus", "stats", gbk.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--encoding"), bad.err());
        assertEquals(0, run("corpus", "stats", gbk.toString(), "--encoding", "GBK").code());
        assertEquals(2, run("corpus", "stats", gbk.toString(), "--encoding", "nope").code());
    }

    @Test
    void cleanWritesOneDocumentPerLine() throws Exception {
        Path p = dir.resolve("poems.txt");
        Files.writeString(p, "题:白日依山尽，黄河入海流。\n坏:白日依山□，黄河入海流。\n", StandardCharsets.UTF_8);
        Path out = dir.resolve("clean/poems-clean.txt");
        Result r = run("corpus", "clean", p.toString(), "-o", out.toString(), "--titles");
        assertEquals(0, r.code(), r.err());
        assertEquals("题:白日依山尽，黄河入海流。\n", Files.readString(out));
    }

    @Test
    void cleanRefusesMultiLineDocumentsAndFetchHasHelp() throws Exception {
        Path p = dir.resolve("lyrics.txt");
        Files.writeString(p, "第一行\n第二行\n", StandardCharsets.UTF_8);
        Result r = run("corpus", "clean", p.toString(), "-o", dir.resolve("out.txt").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--unit line"), r.err());
        assertFalse(Files.exists(dir.resolve("out.txt")));
        assertEquals(0, run("corpus", "clean", p.toString(), "--unit", "line", "-o", dir.resolve("out.txt").toString()).code());
        assertEquals("第一行\n第二行\n", Files.readString(dir.resolve("out.txt")));
        Result help = run("corpus", "fetch", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("npm pack chinese-poetry@2.0.1"), help.out());
    }
}
