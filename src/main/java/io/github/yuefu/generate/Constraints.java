package io.github.yuefu.generate;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.SampleConfig.Rhyme;
import io.github.yuefu.config.SampleConfig.Tones;
import io.github.yuefu.poetics.Form;
import io.github.yuefu.poetics.Tone;
import io.github.yuefu.poetics.TonePattern;
import io.github.yuefu.text.Vocabulary;

/**
 * Form, acrostic, rhyme and tone constraints, applied by masking logits (−∞ for an inadmissible token) so they
 * hold by construction instead of by luck. Soft tones subtract a penalty instead.
 *
 * <p>Constraints come in levels so that a dead end relaxes gracefully instead of looping: at level
 * {@link #STRICT} everything holds; {@link #NO_HARD_TONES} turns hard tones into soft ones and allows a rhyme
 * character twice; {@link #FORM_ONLY} also drops the rhyme. Form and acrostic never relax: they are
 * always satisfiable once {@link #check} has passed (the vocabulary has Han characters, ，。 and every acrostic
 * character). Free text (no form) only bans pad/unk/begin and forces the end token at the length limit.
 */
final class Constraints {
    static final int STRICT = 0, NO_HARD_TONES = 1, FORM_ONLY = 2;

    private final Form form;            // null = free text
    private final TokenClasses tc;
    private final int[] acrosticIds;     // (heads) token id fixed at clause c, position acrosticPos
    private final int acrosticPos;       // 0-based
    private final Rhyme rhyme;
    private final Tones tones;
    private final float tonePenalty;
    private final TonePattern levelPattern, obliquePattern;
    private final int rhymeSlots;        // clause ends that must rhyme: 2 or 4, plus the first clause

    Constraints(SampleConfig cfg, TokenClasses tc, int[] acrosticIds) {
        this.form = cfg.form();
        this.tc = tc;
        this.acrosticIds = acrosticIds;
        this.acrosticPos = cfg.acrosticPosition() - 1;
        this.rhyme = cfg.rhyme();
        this.tones = cfg.tones();
        this.tonePenalty = (float) cfg.tonePenalty();
        boolean firstRhymes = rhyme == Rhyme.EVEN_AND_FIRST;
        this.levelPattern = form == null ? null : TonePattern.of(form, true, firstRhymes);
        this.obliquePattern = form == null ? null : TonePattern.of(form, false, firstRhymes);
        this.rhymeSlots = form == null ? 0 : form.clauses / 2 + (firstRhymes ? 1 : 0);
        check();
    }

    private void check() {
        if (form == null) return;
        if (tc.comma < 0 || tc.period < 0) {
            throw new ConfigException("the model's vocabulary has no ，or 。: it cannot write in a form; drop --form");
        }
        boolean anyHan = false;
        for (boolean h : tc.han) anyHan |= h;
        if (!anyHan) throw new ConfigException("the model's vocabulary has no Chinese characters: it cannot write in a form");
    }

    Form form() {
        return form;
    }

    /** Tokens of printed text a poem can still take: the rest of the form plus the end token, or the length limit. */
    int remaining(Cursor c, int maxLength) {
        return form == null ? maxLength : form.textLength() + 1 - c.length;
    }

    /**
     * Masks row {@code logits[off, off+V)} for the next token of the poem at {@code c} ({@code generated} tokens
     * generated so far, {@code maxLength} allowed) at relaxation {@code level}; returns how many tokens stay admissible.
     */
    int apply(Cursor c, int generated, int maxLength, int level, float[] logits, int off) {
        int v = tc.vocab, admissible = 0;
        if (form == null) {
            boolean forceEnd = generated >= maxLength - 1;
            for (int id = 0; id < v; id++) {
                // An empty text is no poem: the end token waits for at least one token of text.
                boolean ok = forceEnd ? id == Vocabulary.END
                        : TokenClasses.generable(id) && !(id == Vocabulary.END && c.length == 0);
                if (ok) admissible++;
                else logits[off + id] = Float.NEGATIVE_INFINITY;
            }
            return admissible;
        }
        for (int id = 0; id < v; id++) {
            if (admissible(c, id, level)) {
                admissible++;
                if (tones == Tones.SOFT || (tones == Tones.HARD && level >= NO_HARD_TONES)) {
                    if (toneWrong(c, id)) logits[off + id] -= tonePenalty;
                }
            } else {
                logits[off + id] = Float.NEGATIVE_INFINITY;
            }
        }
        return admissible;
    }

    /** Whether token {@code id} may come next at {@code c}: every constraint of {@code level} holds. */
    boolean admissible(Cursor c, int id, int level) {
        if (form == null) return TokenClasses.generable(id);
        if (c.clause >= form.clauses) return id == Vocabulary.END;
        if (c.pos == form.chars) return id == (c.clause % 2 == 0 ? tc.comma : tc.period);
        if (!tc.han[id]) return false;
        if (c.clause < acrosticIds.length && c.pos == acrosticPos) return id == acrosticIds[c.clause];
        if (tones == Tones.HARD && level < NO_HARD_TONES && toneWrong(c, id)) return false;
        if (rhyme != Rhyme.NONE && level < FORM_ONLY && rhymes(c)) {
            if (tc.rhyme[id] < 0) return false;
            if (c.rhymeGroup >= 0 && tc.rhyme[id] != c.rhymeGroup) return false;
            if (level < NO_HARD_TONES && c.usedAsRhyme(id)) return false;
            // Look ahead instead of backtracking: the first rhyme may only open a group with a distinct (and, under
            // hard tones, level-toned) character for every rhyming clause, so later clauses cannot run dry.
            if (c.rhymeGroup < 0 && level < NO_HARD_TONES) {
                int g = tc.rhyme[id];
                if ((tones == Tones.HARD ? tc.groupLevel[g] : tc.groupSize[g]) < rhymeSlots) return false;
            }
        }
        return true;
    }

    /** Whether the character slot at {@code c} ends a clause that must rhyme. */
    private boolean rhymes(Cursor c) {
        if (c.pos != form.chars - 1) return false;
        return c.clause % 2 == 1 || (c.clause == 0 && rhyme == Rhyme.EVEN_AND_FIRST);
    }

    /** Whether {@code id} has the wrong (or an unknown) tone for a strict position of the pattern. */
    private boolean toneWrong(Cursor c, int id) {
        if (tones == Tones.OFF || c.clause >= form.clauses || c.pos >= form.chars) return false; // punctuation, end
        if (!TonePattern.strict(form.chars, c.pos)) return false;
        if (c.levelStart < 0) return tc.tone[id] == TokenClasses.UNKNOWN;  // the 2nd character picks the pattern
        Tone want = (c.levelStart == 1 ? levelPattern : obliquePattern).required(c.clause, c.pos);
        byte t = tc.tone[id];
        return want == Tone.LEVEL ? t != TokenClasses.LEVEL : t != TokenClasses.OBLIQUE;
    }

    /** The pattern a poem has settled on, or null. */
    TonePattern pattern(Cursor c) {
        return c.levelStart < 0 ? null : c.levelStart == 1 ? levelPattern : obliquePattern;
    }

    /** Moves {@code c} past token {@code id} (the token is assumed admissible at the level it was chosen). */
    void advance(Cursor c, int id) {
        if (id == Vocabulary.END) {
            c.ended = true;
            return;
        }
        c.length++;
        if (form == null) return;
        if (c.pos == form.chars) {
            c.clause++;
            c.pos = 0;
            return;
        }
        if (c.clause == 0 && c.pos == 1 && c.levelStart < 0) c.levelStart = tc.tone[id] == TokenClasses.LEVEL ? 1 : 0;
        if (rhyme != Rhyme.NONE && rhymes(c)) {
            if (c.rhymeGroup < 0) c.rhymeGroup = tc.rhyme[id];
            if (c.rhymeCount < c.rhymeIds.length) c.rhymeIds[c.rhymeCount++] = id;
        }
        c.pos++;
    }

    /** A short description of slot {@code c} for error messages: "character 3 of clause 2", "the ，after clause 1". */
    String describe(Cursor c) {
        if (form == null) return "position " + (c.length + 1);
        if (c.clause >= form.clauses) return "the end of the " + form.id();
        if (c.pos == form.chars) return "the " + form.punctuationAfter(c.clause) + " after clause " + (c.clause + 1);
        return "character " + (c.pos + 1) + " of clause " + (c.clause + 1);
    }
}
