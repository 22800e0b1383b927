package io.github.yuefu.generate;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.SampleConfig.InitialState;
import io.github.yuefu.model.RecurrentState;
import io.github.yuefu.model.StepModel;
import io.github.yuefu.poetics.Form;
import io.github.yuefu.text.CharTokenizer;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Writes poems with a {@link StepModel}: primes it with the prompt, then steps all requested poems together as
 * one batch (B = count), masking each row's logits with the {@link Constraints}, discouraging repetition with
 * the {@link Penalties} and drawing with the {@link Sampler}, or runs a beam search (B = beam width).
 *
 * <p>Dimensions: B rows (poems or beams), V vocabulary. Every buffer is allocated once per request before the
 * token loop; the loop itself allocates nothing except when a poem finishes or a constraint has to be relaxed.
 *
 * <p>Priming: {@code G}, then for a silent {@code --context} the context and {@code E G} (the context sets the
 * hidden state, the poem starts afresh), then the printed start/prefix. Prompt tokens are given, not scored.
 *
 * <p>The generator itself holds no mutable state (every buffer belongs to one call), so it is as thread-safe as
 * the model's {@code step}; {@code LanguageModel} reuses internal buffers, so a server gives each worker its own
 * model instance or serialises calls.
 */
public final class Generator {
    private static final String[] RELAX_NOTES = {
        "", "hard tones relaxed to soft", "rhyme relaxed", "no-repeat n-gram relaxed"};

    private final StepModel model;
    private final Vocabulary vocab;
    private final Tokenizer tokenizer;
    private final TokenClasses tc;
    private final int v;

    /** A generator for a character-level model. */
    public Generator(StepModel model, Vocabulary vocab) {
        this(model, vocab, CharTokenizer.INSTANCE);
    }

    /** A generator whose prompts are split by {@code tokenizer} (forms need a character vocabulary). */
    public Generator(StepModel model, Vocabulary vocab, Tokenizer tokenizer) {
        if (model.vocab() != vocab.size()) {
            throw new ConfigException("model has " + model.vocab() + " outputs but its vocabulary " + vocab.size()
                    + " tokens: the model file is damaged or mixes two models");
        }
        this.model = model;
        this.vocab = vocab;
        this.tokenizer = tokenizer;
        this.tc = TokenClasses.of(vocab);
        this.v = vocab.size();
    }

    public Vocabulary vocabulary() {
        return vocab;
    }

    public List<Poem> generate(SampleConfig cfg) {
        return generate(cfg, null);
    }

    /** Writes {@code cfg.count()} poems; {@code listener} (may be null) hears every token as it is chosen. */
    public List<Poem> generate(SampleConfig cfg, TokenListener listener) {
        Request r = prepare(cfg);
        return cfg.beam() > 0 ? beam(r, listener) : sample(r, listener, false);
    }

    /** {@code k} sampled continuations of the prompt up to and including the next clause punctuation (interactive). */
    public List<Poem> completeClause(SampleConfig cfg, int k) {
        SampleConfig c = cfg.withRun(cfg.maxLength(), k, cfg.seed(), cfg.initialState()).withDecoding(
                cfg.temperature() == 0 ? 1.0 : cfg.temperature(), cfg.topK(), cfg.topP(), 0);
        return sample(prepare(c), null, true);
    }

    /** One admissible next token with its probability under the masked model distribution. */
    public record Choice(int id, String token, double probability) {}

    /** The {@code k} most likely admissible next tokens after the prompt (interactive). */
    public List<Choice> nextChoices(SampleConfig cfg, int k) {
        Request r = prepare(cfg.withRun(cfg.maxLength(), 1, cfg.seed(), cfg.initialState()).withDecoding(1.0, 0, 1.0, 0));
        RecurrentState state = model.newState(1);
        float[] logits = new float[v];
        initialState(r.cfg, state, 1);
        prime(r, state, 1, logits, new int[1]);
        Cursor c = r.cursorAfterPrompt();
        int level = Constraints.STRICT;
        float[] row = logits.clone();
        while (r.constraints.apply(c, 0, r.maxGenerated, level, row, 0) == 0) {
            if (++level > Constraints.FORM_ONLY) return List.of();
            row = logits.clone();
        }
        double lse = logSumExp(row, 0, v);
        List<Choice> all = new ArrayList<>();
        for (int id = 0; id < v; id++) {
            if (row[id] != Float.NEGATIVE_INFINITY) {
                all.add(new Choice(id, id == Vocabulary.END ? "" : vocab.token(id), Math.exp(row[id] - lse)));
            }
        }
        all.sort(Comparator.comparingDouble(Choice::probability).reversed());
        return all.subList(0, Math.min(k, all.size()));
    }

    /** Where the next token of the prompt's poem goes and what it has committed to, e.g. "character 3 of clause 2 · rhyme 文 · 仄起". */
    public String describeNext(SampleConfig cfg) {
        Request r = prepare(cfg.withRun(cfg.maxLength(), 1, cfg.seed(), cfg.initialState()).withDecoding(1.0, 0, 1.0, 0));
        Cursor c = r.cursorAfterPrompt();
        StringBuilder sb = new StringBuilder(r.constraints.describe(c));
        if (c.rhymeGroup >= 0) sb.append(" · rhyme ").append(io.github.yuefu.poetics.RhymeGroup.values()[c.rhymeGroup].label);
        if (c.levelStart >= 0 && cfg.tones() != SampleConfig.Tones.OFF) sb.append(c.levelStart == 1 ? " · 平起" : " · 仄起");
        return sb.toString();
    }

    // ---------------------------------------------------------------- the request, checked and encoded

    private final class Request {
        final SampleConfig cfg;
        final int[] context;     // silent priming ids
        final int[] printed;     // start character or prefix ids
        final Constraints constraints;
        final Penalties penalties;
        final int maxGenerated;  // tokens to generate at most, end token included
        final long deadline;

        Request(SampleConfig cfg) {
            this.cfg = cfg;
            SampleConfig.Prompt p = cfg.prompt();
            String option = "--" + p.kind().name().toLowerCase();
            this.context = p.kind() == SampleConfig.PromptKind.CONTEXT ? Prompts.encode(p.text(), vocab, tokenizer, option) : new int[0];
            this.printed = Prompts.encode(p.printed(), vocab, tokenizer, option);
            int[] heads = Prompts.encode(cfg.acrostic(), vocab, CharTokenizer.INSTANCE, "--acrostic");
            for (int h : heads) {
                if (!tc.han[h]) throw new ConfigException("--acrostic character '" + vocab.token(h) + "' is not a Chinese character");
            }
            this.constraints = new Constraints(cfg, tc, heads);
            this.penalties = new Penalties(cfg, tc);
            Form form = cfg.form();
            this.maxGenerated = form == null ? cfg.maxLength() : form.textLength() + 1 - printed.length;
            this.deadline = System.nanoTime() + (long) (cfg.timeoutSeconds() * 1e9);
            cursorAfterPrompt(); // throws if the prompt does not fit the form
        }

        /** A cursor moved past the printed prompt, which must fit form and acrostic. */
        Cursor cursorAfterPrompt() {
            Cursor c = new Cursor();
            for (int i = 0; i < printed.length; i++) {
                int id = printed[i];
                if (!constraints.admissible(c, id, Constraints.FORM_ONLY)) {
                    String what = constraints.form() == null ? "" : " " + cfg.form().id() + (cfg.acrostic().isEmpty() ? "" : " with --acrostic " + cfg.acrostic());
                    throw new ConfigException("--" + cfg.prompt().kind().name().toLowerCase() + " '" + cfg.prompt().text()
                            + "' does not fit" + what + ": '" + vocab.token(id) + "' cannot be " + constraints.describe(c));
                }
                constraints.advance(c, id);
            }
            return c;
        }

        void checkTime() {
            if (System.nanoTime() > deadline) {
                throw new ConfigException("generation timed out after " + cfg.timeoutSeconds() + " s; lower --count, --beam or "
                        + "--max-length, or raise --timeout");
            }
        }
    }

    private Request prepare(SampleConfig cfg) {
        return new Request(cfg);
    }

    // ---------------------------------------------------------------- shared steps

    /** Zeros, or N(0, 0.5²) per row (the course report's random start), seeded. */
    private static void initialState(SampleConfig cfg, RecurrentState state, int rows) {
        if (cfg.initialState() != InitialState.RANDOM) return;
        Random rng = new Random(cfg.seed() ^ 0x5DEECE66DL);
        for (int i = 0; i < state.h.length; i++) state.h[i] = (float) (0.5 * rng.nextGaussian());
        if (state.c != null) {
            for (int i = 0; i < state.c.length; i++) state.c[i] = (float) (0.5 * rng.nextGaussian());
        }
    }

    /** Feeds G [context E G] prompt to all {@code rows}; afterwards {@code logits} hold the first prediction. */
    private void prime(Request r, RecurrentState state, int rows, float[] logits, int[] feed) {
        feedAll(Vocabulary.BEGIN, state, rows, logits, feed);
        if (r.context.length > 0) {
            for (int id : r.context) feedAll(id, state, rows, logits, feed);
            feedAll(Vocabulary.END, state, rows, logits, feed);
            feedAll(Vocabulary.BEGIN, state, rows, logits, feed);
        }
        for (int id : r.printed) feedAll(id, state, rows, logits, feed);
    }

    private void feedAll(int id, RecurrentState state, int rows, float[] logits, int[] feed) {
        Arrays.fill(feed, 0, rows, id);
        model.step(feed, rows, state, logits);
    }

    static double logSumExp(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        if (max == Float.NEGATIVE_INFINITY) return max;
        double sum = 0;
        for (int i = 0; i < n; i++) sum += Math.exp(x[off + i] - max);
        return max + Math.log(sum);
    }

    /**
     * Masks and penalises row {@code b} of {@code logits} (a copy of {@code raw}) at the strictest level that leaves a
     * token; returns the relaxation bits used (0 = none).
     */
    private int constrain(Request r, Cursor c, int generated, int[] hist, int len, float[] logits, float[] raw, int off) {
        int bits = 0;
        for (int level = Constraints.STRICT; ; level++) {
            if (level > Constraints.STRICT) {
                System.arraycopy(raw, off, logits, off, v);
                bits |= 1 << level;
            }
            if (r.constraints.apply(c, generated, r.maxGenerated, level, logits, off) > 0) break;
            if (level == Constraints.FORM_ONLY) {
                throw new IllegalStateException("no admissible token at " + r.constraints.describe(c)); // check() prevents this
            }
        }
        if (!r.penalties.active()) return bits;
        r.penalties.repetition(hist, len, logits, off);
        r.penalties.noRepeat(hist, len, logits, off);
        for (int i = 0; i < v; i++) {
            if (logits[off + i] != Float.NEGATIVE_INFINITY) return bits;
        }
        // The n-gram ban closed every door the constraints left open: drop it for this token.
        System.arraycopy(raw, off, logits, off, v);
        int level = Integer.numberOfTrailingZeros(Integer.highestOneBit(bits | 1));
        r.constraints.apply(c, generated, r.maxGenerated, bits == 0 ? Constraints.STRICT : level, logits, off);
        r.penalties.repetition(hist, len, logits, off);
        return bits | 1 << 3;
    }

    private List<String> notes(int bits) {
        if (bits == 0) return List.of();
        List<String> out = new ArrayList<>();
        for (int i = 1; i < RELAX_NOTES.length; i++) {
            if ((bits & 1 << i) != 0) out.add(RELAX_NOTES[i]);
        }
        return out;
    }

    private Poem poem(int[] hist, int len, boolean ended, double lp, int scored, int relaxBits) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) sb.append(vocab.token(hist[i]));
        int[] tokens = Arrays.copyOf(hist, len + (ended ? 1 : 0));
        if (ended) tokens[len] = Vocabulary.END;
        double ppl = scored == 0 ? Double.NaN : Math.exp(-lp / scored);
        return new Poem(sb.toString(), tokens, lp, scored, ppl, notes(relaxBits));
    }

    // ---------------------------------------------------------------- sampling: B = count rows in one pass

    private List<Poem> sample(Request r, TokenListener listener, boolean stopAfterClause) {
        int rows = r.cfg.count();
        RecurrentState state = model.newState(rows);
        float[] logits = new float[rows * v];  // (B, V) model output, then masked in place
        float[] raw = new float[rows * v];     // (B, V) unmasked copy, for scores and relaxation
        int[] feed = new int[rows];            // (B) tokens fed to the next step
        int cap = r.printed.length + r.maxGenerated;
        int[][] hist = new int[rows][cap];     // (B, cap) printed tokens per row
        int[] len = new int[rows];
        boolean[] done = new boolean[rows];
        boolean[] ended = new boolean[rows];
        double[] lp = new double[rows];
        int[] scored = new int[rows];
        int[] relax = new int[rows];
        Cursor[] cur = new Cursor[rows];
        SplittableRandom[] rng = new SplittableRandom[rows];
        Sampler sampler = new Sampler(r.cfg, v);
        Cursor start = r.cursorAfterPrompt();
        for (int b = 0; b < rows; b++) {
            cur[b] = new Cursor();
            cur[b].copyFrom(start);
            System.arraycopy(r.printed, 0, hist[b], 0, r.printed.length);
            len[b] = r.printed.length;
            rng[b] = new SplittableRandom(r.cfg.seed() * 0x9E3779B97F4A7C15L + b);
        }
        initialState(r.cfg, state, rows);
        prime(r, state, rows, logits, feed);
        int live = rows;
        for (int step = 0; step < r.maxGenerated && live > 0; step++) {
            r.checkTime();
            System.arraycopy(logits, 0, raw, 0, rows * v);
            for (int b = 0; b < rows; b++) {
                if (done[b]) {
                    feed[b] = Vocabulary.END;
                    continue;
                }
                int off = b * v;
                double lse = logSumExp(raw, off, v);
                relax[b] |= constrain(r, cur[b], step, hist[b], len[b], logits, raw, off);
                int tok = sampler.choose(logits, off, v, rng[b]);
                lp[b] += raw[off + tok] - lse;
                scored[b]++;
                r.constraints.advance(cur[b], tok);
                feed[b] = tok;
                if (listener != null) listener.onToken(b, tok, tok == Vocabulary.END ? "" : vocab.token(tok));
                if (tok == Vocabulary.END) {
                    ended[b] = true;
                } else {
                    hist[b][len[b]++] = tok;
                }
                if (ended[b] || (stopAfterClause && tc.clauseEnd[tok])) {
                    done[b] = true;
                    live--;
                }
            }
            if (live > 0) model.step(feed, rows, state, logits);
        }
        List<Poem> out = new ArrayList<>(rows);
        for (int b = 0; b < rows; b++) out.add(poem(hist[b], len[b], ended[b], lp[b], scored[b], relax[b]));
        return out;
    }

    // ---------------------------------------------------------------- beam search: B = beam width

    private record Hypothesis(Poem poem, double rank) {}

    private List<Poem> beam(Request r, TokenListener listener) {
        int n = r.cfg.beam();
        RecurrentState state = model.newState(n);
        RecurrentState spare = model.newState(n);
        float[] logits = new float[n * v];     // (N, V)
        float[] raw = new float[n * v];        // (N, V)
        int[] feed = new int[n];
        int cap = r.printed.length + r.maxGenerated;
        int[][] hist = new int[n][cap], spareHist = new int[n][cap];
        int[] len = new int[n], spareLen = new int[n];
        double[] score = new double[n], spareScore = new double[n]; // ranking score: penalised log-prob
        double[] lp = new double[n], spareLp = new double[n];       // log-prob under the raw model
        int[] relax = new int[n], spareRelax = new int[n];
        int[] parent = new int[n];
        Cursor[] cur = new Cursor[n], spareCur = new Cursor[n];
        int cands = n * n;
        double[] cScore = new double[cands], cLp = new double[cands];
        int[] cParent = new int[cands], cTok = new int[cands], cRelax = new int[cands];
        int[] order = new int[2 * n];          // indices of the 2N best candidates, best first
        int[] topIds = new int[n];
        float[] topVals = new float[n];
        Cursor start = r.cursorAfterPrompt();
        for (int b = 0; b < n; b++) {
            cur[b] = new Cursor();
            cur[b].copyFrom(start);
            spareCur[b] = new Cursor();
            System.arraycopy(r.printed, 0, hist[b], 0, r.printed.length);
            len[b] = r.printed.length;
            score[b] = b == 0 ? 0 : Double.NEGATIVE_INFINITY; // identical beams: only one is live at first
        }
        initialState(r.cfg, state, n);
        if (r.cfg.initialState() == InitialState.RANDOM) copyRow(state, state, 0, n); // one start shared by all beams
        prime(r, state, n, logits, feed);
        List<Hypothesis> finished = new ArrayList<>();
        boolean formFixed = r.cfg.form() != null;
        for (int step = 0; step < r.maxGenerated; step++) {
            r.checkTime();
            System.arraycopy(logits, 0, raw, 0, n * v);
            int nc = 0;
            for (int b = 0; b < n; b++) {
                if (score[b] == Double.NEGATIVE_INFINITY) continue;
                int off = b * v;
                double lse = logSumExp(raw, off, v);
                int bits = constrain(r, cur[b], step, hist[b], len[b], logits, raw, off);
                int k = topN(logits, off, topIds, topVals);
                for (int i = 0; i < k; i++) {
                    cScore[nc] = score[b] + (topVals[i] - lse);
                    cLp[nc] = lp[b] + (raw[off + topIds[i]] - lse);
                    cParent[nc] = b;
                    cTok[nc] = topIds[i];
                    cRelax[nc] = relax[b] | bits;
                    nc++;
                }
            }
            if (nc == 0) break;
            // N live beams and up to N finished ones can only come from the 2N best candidates.
            int best = bestCandidates(cScore, nc, order);
            int kept = 0;
            for (int i = 0; i < best && kept < n && finished.size() < n; i++) {
                int c = order[i], p = cParent[c], tok = cTok[c];
                if (tok == Vocabulary.END) {
                    Poem poem = poem(hist[p], len[p], true, cLp[c], len[p] - r.printed.length + 1, cRelax[c]);
                    double rank = formFixed ? cScore[c] : cScore[c] / poem.scored(); // free text: per-token mean
                    finished.add(new Hypothesis(poem, rank));
                    continue;
                }
                System.arraycopy(hist[p], 0, spareHist[kept], 0, len[p]);
                spareHist[kept][len[p]] = tok;
                spareLen[kept] = len[p] + 1;
                spareCur[kept].copyFrom(cur[p]);
                r.constraints.advance(spareCur[kept], tok);
                spareScore[kept] = cScore[c];
                spareLp[kept] = cLp[c];
                spareRelax[kept] = cRelax[c];
                parent[kept] = p;
                feed[kept] = tok;
                kept++;
            }
            if (finished.size() >= n || kept == 0) break;
            for (int b = kept; b < n; b++) {
                spareScore[b] = Double.NEGATIVE_INFINITY;
                parent[b] = 0;
                feed[b] = Vocabulary.END;
            }
            gather(state, spare, parent, n);
            int[][] th = hist; hist = spareHist; spareHist = th;
            int[] tl = len; len = spareLen; spareLen = tl;
            double[] ts = score; score = spareScore; spareScore = ts;
            double[] tp = lp; lp = spareLp; spareLp = tp;
            int[] tr = relax; relax = spareRelax; spareRelax = tr;
            Cursor[] tcur = cur; cur = spareCur; spareCur = tcur;
            model.step(feed, n, state, logits);
        }
        finished.sort(Comparator.comparingDouble(Hypothesis::rank).reversed());
        List<Poem> out = new ArrayList<>();
        for (int i = 0; i < Math.min(r.cfg.count(), finished.size()); i++) {
            Poem p = finished.get(i).poem();
            out.add(p);
            if (listener != null) {
                for (int t : Arrays.copyOfRange(p.tokens(), r.printed.length, p.tokens().length)) {
                    listener.onToken(i, t, t == Vocabulary.END ? "" : vocab.token(t));
                }
            }
        }
        return out;
    }

    /** Indices of the (up to) order.length best of scores[0, nc), best first, by bounded insertion; returns how many. */
    private static int bestCandidates(double[] scores, int nc, int[] order) {
        int m = order.length, k = 0;
        for (int c = 0; c < nc; c++) {
            double x = scores[c];
            if (k == m && x <= scores[order[m - 1]]) continue;
            int i = k < m ? k++ : m - 1;
            while (i > 0 && scores[order[i - 1]] < x) {
                order[i] = order[i - 1];
                i--;
            }
            order[i] = c;
        }
        return k;
    }

    /** The (up to) n best finite entries of a row, best first, into ids/vals; returns how many. */
    private int topN(float[] logits, int off, int[] ids, float[] vals) {
        int n = ids.length, k = 0;
        for (int t = 0; t < v; t++) {
            float x = logits[off + t];
            if (x == Float.NEGATIVE_INFINITY || (k == n && x <= vals[n - 1])) continue;
            int i = k < n ? k++ : n - 1;
            while (i > 0 && vals[i - 1] < x) {
                vals[i] = vals[i - 1];
                ids[i] = ids[i - 1];
                i--;
            }
            vals[i] = x;
            ids[i] = t;
        }
        return k;
    }

    /** state row b ← old row parent[b], for every layer (h and c), through {@code spare}. */
    private static void gather(RecurrentState state, RecurrentState spare, int[] parent, int rows) {
        for (int l = 0; l < state.layers; l++) {
            for (int b = 0; b < rows; b++) {
                System.arraycopy(state.h, state.offset(l, parent[b]), spare.h, spare.offset(l, b), state.hidden);
                if (state.c != null) System.arraycopy(state.c, state.offset(l, parent[b]), spare.c, spare.offset(l, b), state.hidden);
            }
        }
        state.copyFrom(spare);
    }

    /** Copies row {@code from} of every layer to rows 0..rows-1. */
    private static void copyRow(RecurrentState src, RecurrentState dst, int from, int rows) {
        for (int l = 0; l < src.layers; l++) {
            for (int b = 0; b < rows; b++) {
                if (b == from) continue;
                System.arraycopy(src.h, src.offset(l, from), dst.h, dst.offset(l, b), src.hidden);
                if (src.c != null) System.arraycopy(src.c, src.offset(l, from), dst.c, dst.offset(l, b), src.hidden);
            }
        }
    }
}
