package io.github.yuefu.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** End to end through the CLI on a tiny lyric-like text: grids, reports, resuming, refusing a different grid. */
class GridTest {
    @TempDir
    Path tmp;

    /** 2,000 characters of short lines over a small alphabet: enough for a stream split and tiny models. */
    private Path lyrics() throws IOException {
        String[] words = {"天青色", "等烟雨", "而我在", "等你", "月色", "被打捞", "起", "晕开了", "结局"};
        StringBuilder sb = new StringBuilder();
        Random r = new Random(3);
        while (sb.length() < 2000) {
            for (int i = 0; i < 3; i++) sb.append(words[r.nextInt(words.length)]);
            sb.append('\n');
        }
        Path f = tmp.resolve("lyrics.txt");
        Files.writeString(f, sb.toString(), StandardCharsets.UTF_8);
        return f;
    }

    private record Run(int code, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private static List<String> tiny(Path corpus, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of(corpus.toString(), "--out", out.toString(), "--steps", "6", "--hidden", "8",
                "--embed", "4", "--batch", "4", "--seq", "8", "--eval-points", "2", "--sample-length", "12", "--start", "等"));
        a.addAll(List.of(more));
        return a;
    }

    private static String[] args(String command, List<String> rest) {
        List<String> a = new ArrayList<>();
        a.add(command);
        a.addAll(rest);
        return a.toArray(String[]::new);
    }

    @Test
    void compareWritesTablesChartsSamplesAndContinuesAnInterruptedGrid() throws IOException {
        Path corpus = lyrics(), out = tmp.resolve("grid");
        List<String> opts = tiny(corpus, out, "--cells", "gru", "--inputs", "embedding,onehot", "--seeds", "2");
        Run first = cli(args("compare", opts));
        assertEquals(0, first.code(), first.err());
        String md = Files.readString(out.resolve("results.md"));
        for (String label : List.of("| embedding |", "| one-hot |")) {
            assertTrue(md.contains(label), label + " missing from\n" + md);
        }
        assertTrue(md.contains(" ± "), "two seeds give a spread:\n" + md);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size());
        assertTrue(csv.getFirst().startsWith("variant,cell,input,layers,seq,parameters,seeds"));
        for (String png : List.of("curves.png", "perplexity.png")) {
            byte[] b = Files.readAllBytes(out.resolve(png));
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png);
        }
        String samples = Files.readString(out.resolve("samples.md"));
        assertEquals(4, samples.split("\\*\\*, seed ").length - 1, samples);

        // Interrupt: one run lost its result (killed after its last checkpoint), another never started.
        Path runs = out.resolve("runs");
        Files.delete(runs.resolve("gru-onehot-1l-seq8-seed2").resolve("result.json"));
        GridRunner.deleteTree(runs.resolve("gru-embedding-1l-seq8-seed2"));
        RunResult kept = new ObjectMapper().readValue(runs.resolve("gru-onehot-1l-seq8-seed1/result.json").toFile(), RunResult.class);
        Run again = cli(args("compare", opts));
        assertEquals(0, again.code(), again.err());
        assertEquals(2, again.out().split("done earlier", -1).length - 1, again.out());
        assertTrue(again.out().contains("gru-onehot-1l-seq8-seed2: resuming"), again.out());
        assertTrue(again.out().contains("gru-embedding-1l-seq8-seed2: training"), again.out());
        RunResult still = new ObjectMapper().readValue(runs.resolve("gru-onehot-1l-seq8-seed1/result.json").toFile(), RunResult.class);
        assertEquals(kept, still);
        assertEquals(4, GridRunner.finished(out).size());

        // The same directory with other options is refused, not mixed.
        Run other = cli(args("compare", tiny(corpus, out, "--cells", "lstm", "--inputs", "embedding")));
        assertEquals(2, other.code());
        assertTrue(other.err().contains("holds a different grid"), other.err());
    }

    @Test
    void sweepComparesWindowsAndDrawsItsChart() throws IOException {
        Path corpus = lyrics(), out = tmp.resolve("sweep");
        List<String> opts = new ArrayList<>(tiny(corpus, out, "--cell", "gru"));
        int i = opts.indexOf("--seq");
        opts.remove(i + 1);
        opts.remove(i);
        opts.addAll(List.of("--seq", "4,16", "--tokens", "400"));
        opts.remove(opts.indexOf("--steps") + 1);
        opts.remove("--steps");
        Run r = cli(args("sweep", opts));
        assertEquals(0, r.code(), r.err());
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| T=4 |") && md.contains("| T=16 |"), md);
        // An equal token budget: 400 / (4 × 4) = 25 steps at T = 4, 400 / (4 × 16) = 6 at T = 16.
        assertTrue(md.contains("| 25 |") && md.contains("| 6 |"), md);
        assertTrue(Files.size(out.resolve("sweep.png")) > 1000);
        assertEquals(2, cli("sweep", corpus.toString(), "--out", tmp.resolve("x").toString(), "--steps", "2", "--mode", "poem").code());
    }

    @Test
    void aMinutesBudgetTimesEachVariantOnceAndFixesItsSteps() throws IOException {
        Path corpus = lyrics(), out = tmp.resolve("timed");
        List<String> opts = new ArrayList<>(tiny(corpus, out, "--cells", "rnn", "--inputs", "onehot"));
        opts.remove(opts.indexOf("--steps") + 1);
        opts.remove("--steps");
        opts.addAll(List.of("--minutes", "0.002"));
        Run r = cli(args("compare", opts));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("timing rnn-onehot-1l-seq8:"), r.out());
        long steps = new ObjectMapper().readTree(out.resolve("steps.json").toFile()).path("rnn-onehot-1l-seq8").asLong();
        assertTrue(steps >= 1, "steps " + steps);
        assertTrue(!Files.exists(out.resolve("calibration").resolve("rnn-onehot-1l-seq8")), "the timing run is removed");
    }

    @Test
    void poemModeComparesOnAPoemsFile() throws IOException {
        StringBuilder sb = new StringBuilder();
        List<String> poems = io.github.yuefu.train.TinyCorpus.poems();
        for (int i = 0; i < poems.size(); i++) sb.append("诗").append(i).append(':').append(poems.get(i)).append('\n');
        Path corpus = tmp.resolve("poems.txt"), out = tmp.resolve("poems");
        Files.writeString(corpus, sb.toString(), StandardCharsets.UTF_8);
        List<String> opts = new ArrayList<>(tiny(corpus, out, "--mode", "poem", "--cells", "lstm", "--inputs", "embedding"));
        opts.set(opts.indexOf("等"), "日");
        Run r = cli(args("compare", opts));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("results.md")).contains("poems.txt, poem mode"));
        assertTrue(Files.readString(out.resolve("samples.md")).contains("> 日"));
    }

    @Test
    void budgetNeedsExactlyOneKindAndTurnsIntoSteps() {
        assertEquals(2, cli("compare", "x.txt", "--out", tmp.resolve("y").toString()).code());
        assertEquals(2, cli("compare", "x.txt", "--out", tmp.resolve("y").toString(), "--steps", "3", "--minutes", "1").code());
        assertEquals(10, new Budget(Budget.Kind.STEPS, 10).steps(Double.NaN, 64));
        assertEquals(15, new Budget(Budget.Kind.TOKENS, 1000).steps(Double.NaN, 64));
        assertEquals(240, new Budget(Budget.Kind.MINUTES, 2).steps(0.5, 64));
        assertEquals(1, new Budget(Budget.Kind.MINUTES, 0.001).steps(30, 64));
    }

    @Test
    void statsAndTableFormatting() {
        Stats s = Stats.of(List.of(10.0, 12.0, 14.0));
        assertEquals(12.0, s.mean(), 1e-12);
        assertEquals(2.0, s.std(), 1e-12);
        assertTrue(Double.isNaN(Stats.of(List.of(3.0)).std()));
        assertEquals("12.00 ± 2.00", GridTables.meanStd(s, 2));
        assertEquals("3.000", GridTables.meanStd(Stats.of(List.of(3.0)), 3));
        assertEquals("2 min 05 s", GridTables.duration(125.4));
    }
}
