package io.github.yuefu.generate;

import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.SampleConfig.Rhyme;
import io.github.yuefu.config.SampleConfig.Tones;
import io.github.yuefu.poetics.Form;
import io.github.yuefu.poetics.TonePattern;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The "measured quality" table: for each setting, {@code n} poems sampled as one batch, and
 * <ul>
 *   <li>form-valid: share with exactly the requested form (free text: any of the four forms);</li>
 *   <li>rhyme: share whose even clauses end in one rhyme group (中华新韵); "-" for free text;</li>
 *   <li>tones: mean share of strict 平仄 positions matching the best standard pattern (modern tones);</li>
 *   <li>distinct-1/2: distinct characters / characters and distinct within-clause bigrams / bigrams, over the set;</li>
 *   <li>novelty: share of generated 5- and 7-character clauses not found verbatim anywhere in the corpus;</li>
 *   <li>perplexity: mean of the poems' perplexities under the model;</li>
 *   <li>speed: generated tokens (characters, punctuation and the end token) per second, batched (B = n), and
 *       one poem at a time (B = 1) by {@link #singleSpeed}; wall-clock, so a loaded machine reads slow.</li>
 * </ul>
 */
public final class QualityReport {
    private QualityReport() {}

    public record Setting(String name, SampleConfig cfg) {}

    public record Row(String name, int poems, double formValid, double rhyme, double tones, double distinct1,
                      double distinct2, double novelty, int clauses, double perplexity, double tokensPerSecond) {}

    /** The default grid: free text, the four forms, rhyme, hard tones, an acrostic. */
    public static List<Setting> defaultSettings(SampleConfig base, int n) {
        SampleConfig b = base.withRun(base.maxLength(), n, base.seed(), base.initialState());
        return List.of(
                new Setting("free text", b),
                new Setting("wujue", b.withForm(Form.WUJUE, "", 1, Rhyme.NONE, Tones.OFF)),
                new Setting("qijue", b.withForm(Form.QIJUE, "", 1, Rhyme.NONE, Tones.OFF)),
                new Setting("wulv", b.withForm(Form.WULV, "", 1, Rhyme.NONE, Tones.OFF)),
                new Setting("wujue --rhyme", b.withForm(Form.WUJUE, "", 1, Rhyme.EVEN, Tones.OFF)),
                new Setting("qijue --rhyme --tones hard", b.withForm(Form.QIJUE, "", 1, Rhyme.EVEN_AND_FIRST, Tones.HARD)),
                new Setting("acrostic 春夏秋冬 --rhyme", b.withForm(null, "春夏秋冬", 1, Rhyme.EVEN, Tones.OFF)));
    }

    public static Row measure(Generator gen, Setting s, CorpusIndex corpus) {
        long t0 = System.nanoTime();
        List<Poem> poems = gen.generate(s.cfg());
        double seconds = (System.nanoTime() - t0) / 1e9;
        return row(s.name(), s.cfg().form(), poems, corpus, tokens(poems) / seconds);
    }

    static long tokens(List<Poem> poems) {
        long n = 0;
        for (Poem p : poems) n += p.scored();
        return n;
    }

    static Row row(String name, Form form, List<Poem> poems, CorpusIndex corpus, double speed) {
        int valid = 0, rhymes = 0, chars = 0, bigrams = 0, clauses = 0, novel = 0;
        double tones = 0, ppl = 0;
        Set<Integer> distinctChars = new HashSet<>();
        Set<Long> distinctBigrams = new HashSet<>();
        for (Poem p : poems) {
            Form f = form != null ? form : Form.detect(p.text());
            if (f != null && f.violation(p.text()) == null) valid++;
            PoemReport r = PoemReport.of(p.text(), f, null);
            if (r.rhymes()) rhymes++;
            List<String> cl = PoemText.clauses(p.text());
            if (f != null) tones += TonePattern.all(f).stream().mapToDouble(t -> t.match(cl)).max().orElse(0);
            for (String c : cl) {
                int[] cps = c.codePoints().toArray();
                for (int i = 0; i < cps.length; i++) {
                    chars++;
                    distinctChars.add(cps[i]);
                    if (i > 0) {
                        bigrams++;
                        distinctBigrams.add(((long) cps[i - 1] << 32) | cps[i]);
                    }
                }
                if ((cps.length == 5 || cps.length == 7) && corpus != null) {
                    clauses++;
                    if (!corpus.contains(c)) novel++;
                }
            }
            ppl += p.perplexity();
        }
        int n = poems.size();
        // Rhyme and tones are only defined against a form; free text gets "-".
        return new Row(name, n, (double) valid / n, form == null ? Double.NaN : (double) rhymes / n, form == null ? Double.NaN : tones / n,
                chars == 0 ? 0 : (double) distinctChars.size() / chars, bigrams == 0 ? 0 : (double) distinctBigrams.size() / bigrams,
                clauses == 0 ? Double.NaN : (double) novel / clauses, clauses, ppl / n, speed);
    }

    /** Tokens per second writing {@code poems} poems one at a time (B = 1), for comparison with the batched figure. */
    public static double singleSpeed(Generator gen, SampleConfig cfg, int poems) {
        long t0 = System.nanoTime(), tokens = 0;
        for (int i = 0; i < poems; i++) {
            tokens += tokens(gen.generate(cfg.withRun(cfg.maxLength(), 1, cfg.seed() + i, cfg.initialState())));
        }
        return tokens / ((System.nanoTime() - t0) / 1e9);
    }

    /** Pads to a terminal width, counting CJK characters as two columns. */
    static String pad(String s, int width) {
        int w = s.codePoints().map(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN ? 2 : 1).sum();
        return s + " ".repeat(Math.max(0, width - w));
    }

    public static void print(List<Row> rows, PrintWriter out) {
        out.printf("%-30s %5s %6s %6s %6s %6s %6s %8s %7s %10s%n",
                "setting", "poems", "form", "rhyme", "tones", "dist1", "dist2", "novelty", "ppl", "tokens/s");
        for (Row r : rows) {
            out.printf("%s %5d %5.0f%% %6s %6s %6.3f %6.3f %8s %7.2f %10.0f%n", pad(r.name(), 30), r.poems(), 100 * r.formValid(),
                    Double.isNaN(r.rhyme()) ? "-" : String.format("%5.0f%%", 100 * r.rhyme()), Double.isNaN(r.tones()) ? "-" : String.format("%5.0f%%", 100 * r.tones()),
                    r.distinct1(), r.distinct2(), Double.isNaN(r.novelty()) ? "-" : String.format("%7.1f%%", 100 * r.novelty()),
                    r.perplexity(), r.tokensPerSecond());
        }
        out.flush();
    }
}
