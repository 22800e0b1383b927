package io.github.yuefu.config;

import io.github.yuefu.poetics.Form;

/**
 * Everything a generation request says: how to start, how to decode, which constraints hold. Validated here, so
 * the CLI, the training loop's periodic samples and the HTTP server reject the same bad requests with the same
 * messages. Build one with {@link #defaults()} and the {@code with…} methods.
 *
 * @param prompt            how the poem starts (start character, printed prefix, silent context, or nothing)
 * @param temperature       logits are divided by it; 0 = greedy (argmax)
 * @param topK              sample among the k most likely tokens; 0 = all
 * @param topP              nucleus: sample among the most likely tokens whose mass reaches p; 1 = all
 * @param beam              beam width; 0 = sampling. Beam search is deterministic and returns the best {@code count}
 * @param repetitionPenalty divides positive (multiplies negative) logits of tokens already in the poem; 1 = off
 * @param noRepeatNgram     forbids repeating any n-gram of this size; 0 = off
 * @param maxLength         most tokens generated (end token included) before the end is forced
 * @param count             poems, sampled together as one batch through the model
 * @param seed              seeds sampling and the random initial state
 * @param initialState      zeros, or random N(0, 0.5²) as one course report does
 * @param form              a regulated form every poem must have, or null for free text
 * @param acrostic          characters fixed at the head (or {@code acrosticPosition}) of successive clauses; "" = off
 * @param acrosticPosition  1-based character position inside the clause for the acrostic
 * @param rhyme             which clause ends must rhyme
 * @param tones             regulated-verse tones: off, soft penalty or hard mask
 * @param tonePenalty       logit penalty for a wrong tone in soft mode
 * @param timeoutSeconds    whole-request time limit
 */
public record SampleConfig(Prompt prompt, double temperature, int topK, double topP, int beam,
                           double repetitionPenalty, int noRepeatNgram, int maxLength, int count, long seed,
                           InitialState initialState, Form form, String acrostic, int acrosticPosition,
                           Rhyme rhyme, Tones tones, double tonePenalty, double timeoutSeconds) {

    /** Longest prompt accepted (code points); longer ones are almost certainly a mistake and waste time. */
    public static final int MAX_PROMPT = 1000;
    public static final int MAX_COUNT = 10_000;
    public static final int MAX_BEAM = 64;
    public static final int MAX_LENGTH = 10_000;

    public enum PromptKind { NONE, START, PREFIX, CONTEXT }

    /** How a poem starts: {@code text} is one character for START, any text for PREFIX (printed) and CONTEXT (silent). */
    public record Prompt(PromptKind kind, String text) {
        public Prompt {
            if (kind == null) kind = PromptKind.NONE;
            if (text == null) text = "";
            if (kind == PromptKind.NONE && !text.isEmpty()) throw new ConfigException("a prompt without a kind has no text");
            if (kind != PromptKind.NONE && text.isBlank()) {
                throw new ConfigException("--" + kind.name().toLowerCase() + " is empty: give at least one character");
            }
            if (kind == PromptKind.START && text.codePointCount(0, text.length()) != 1) {
                throw new ConfigException("--start takes exactly one character, got '" + text + "'; use --prefix for longer text");
            }
            int n = text.codePointCount(0, text.length());
            if (n > MAX_PROMPT) {
                throw new ConfigException("--" + kind.name().toLowerCase() + " is " + n + " characters long; the limit is " + MAX_PROMPT);
            }
        }

        public static Prompt none() {
            return new Prompt(PromptKind.NONE, "");
        }

        /** Text printed as the start of the poem (start char or prefix); empty for context and none. */
        public String printed() {
            return kind == PromptKind.START || kind == PromptKind.PREFIX ? text : "";
        }
    }

    public enum InitialState { ZEROS, RANDOM }

    /** NONE; EVEN: clauses 2, 4, 6, 8 end in one rhyme group; EVEN_AND_FIRST: the first clause too. */
    public enum Rhyme { NONE, EVEN, EVEN_AND_FIRST }

    public enum Tones { OFF, SOFT, HARD }

    public SampleConfig {
        if (prompt == null) prompt = Prompt.none();
        if (initialState == null) initialState = InitialState.ZEROS;
        if (acrostic == null) acrostic = "";
        if (rhyme == null) rhyme = Rhyme.NONE;
        if (tones == null) tones = Tones.OFF;
        if (!(temperature >= 0) || temperature > 100) throw new ConfigException("--temperature must be in [0, 100], got " + temperature);
        if (topK < 0) throw new ConfigException("--top-k must be 0 (off) or positive, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new ConfigException("--top-p must be in (0, 1], got " + topP);
        if (beam < 0 || beam > MAX_BEAM) throw new ConfigException("--beam must be 0 (off) to " + MAX_BEAM + ", got " + beam);
        if (!(repetitionPenalty >= 1 && repetitionPenalty <= 100)) {
            throw new ConfigException("--repetition-penalty must be in [1, 100] (1 = off), got " + repetitionPenalty);
        }
        if (noRepeatNgram < 0) throw new ConfigException("--no-repeat-ngram must be 0 (off) or positive, got " + noRepeatNgram);
        if (maxLength < 1 || maxLength > MAX_LENGTH) throw new ConfigException("--max-length must be 1.." + MAX_LENGTH + ", got " + maxLength);
        if (count < 1 || count > MAX_COUNT) throw new ConfigException("--count must be 1.." + MAX_COUNT + ", got " + count);
        if (beam > 0) {
            if (topP < 1) throw new ConfigException("--beam and --top-p contradict each other: beam search is deterministic; drop one");
            if (topK > 0) throw new ConfigException("--beam and --top-k contradict each other: beam search is deterministic; drop one");
            if (count > beam) throw new ConfigException("--count " + count + " is more than --beam " + beam + ": beam search returns at most its width");
            if (initialState == InitialState.RANDOM && count > 1) {
                throw new ConfigException("--initial-state random with --beam: the beams share one start; use --count 1 or sampling");
            }
        }
        int heads = acrostic.codePointCount(0, acrostic.length());
        if (heads > 0) {
            for (int c : acrostic.codePoints().toArray()) {
                if (Character.UnicodeScript.of(c) != Character.UnicodeScript.HAN) {
                    throw new ConfigException("--acrostic must be Chinese characters only, got '" + acrostic + "'");
                }
            }
            if (form == null) form = Form.forAcrostic(heads, 5);
            if (heads > form.clauses) {
                throw new ConfigException("--acrostic has " + heads + " characters but " + form.id() + " has only "
                        + form.clauses + " clauses; use a 律诗 form (wulv, qilv) or fewer characters");
            }
        }
        if (acrosticPosition < 1 || (form != null && acrosticPosition > form.chars)) {
            throw new ConfigException("--acrostic-position must be 1.." + (form == null ? 7 : form.chars) + ", got " + acrosticPosition);
        }
        if (form == null && (rhyme != Rhyme.NONE || tones != Tones.OFF)) {
            throw new ConfigException("--rhyme and --tones need a form: add --form wujue|qijue|wulv|qilv (or --acrostic)");
        }
        if (!(tonePenalty >= 0 && tonePenalty <= 100)) throw new ConfigException("--tone-penalty must be in [0, 100], got " + tonePenalty);
        if (!(timeoutSeconds > 0)) throw new ConfigException("--timeout must be positive, got " + timeoutSeconds);
        if (form != null && prompt.kind() == PromptKind.PREFIX
                && prompt.text().codePointCount(0, prompt.text().length()) >= form.textLength()) {
            throw new ConfigException("--prefix is as long as a whole " + form.id() + " (" + form.textLength()
                    + " characters with punctuation): nothing is left to write");
        }
    }

    /** Temperature 1, no truncation, one poem of at most 128 tokens, seed 1, zero state, free form. */
    public static SampleConfig defaults() {
        return new SampleConfig(Prompt.none(), 1.0, 0, 1.0, 0, 1.0, 0, 128, 1, 1L, InitialState.ZEROS,
                null, "", 1, Rhyme.NONE, Tones.OFF, 2.0, 60);
    }

    public boolean greedy() {
        return temperature == 0;
    }

    public SampleConfig withPrompt(Prompt p) {
        return new SampleConfig(p, temperature, topK, topP, beam, repetitionPenalty, noRepeatNgram, maxLength, count, seed,
                initialState, form, acrostic, acrosticPosition, rhyme, tones, tonePenalty, timeoutSeconds);
    }

    public SampleConfig withDecoding(double temperature, int topK, double topP, int beam) {
        return new SampleConfig(prompt, temperature, topK, topP, beam, repetitionPenalty, noRepeatNgram, maxLength, count, seed,
                initialState, form, acrostic, acrosticPosition, rhyme, tones, tonePenalty, timeoutSeconds);
    }

    public SampleConfig withRepetition(double repetitionPenalty, int noRepeatNgram) {
        return new SampleConfig(prompt, temperature, topK, topP, beam, repetitionPenalty, noRepeatNgram, maxLength, count, seed,
                initialState, form, acrostic, acrosticPosition, rhyme, tones, tonePenalty, timeoutSeconds);
    }

    public SampleConfig withRun(int maxLength, int count, long seed, InitialState initialState) {
        return new SampleConfig(prompt, temperature, topK, topP, beam, repetitionPenalty, noRepeatNgram, maxLength, count, seed,
                initialState, form, acrostic, acrosticPosition, rhyme, tones, tonePenalty, timeoutSeconds);
    }

    public SampleConfig withForm(Form form, String acrostic, int acrosticPosition, Rhyme rhyme, Tones tones) {
        return new SampleConfig(prompt, temperature, topK, topP, beam, repetitionPenalty, noRepeatNgram, maxLength, count, seed,
                initialState, form, acrostic, acrosticPosition, rhyme, tones, tonePenalty, timeoutSeconds);
    }

    public SampleConfig withTiming(double tonePenalty, double timeoutSeconds) {
        return new SampleConfig(prompt, temperature, topK, topP, beam, repetitionPenalty, noRepeatNgram, maxLength, count, seed,
                initialState, form, acrostic, acrosticPosition, rhyme, tones, tonePenalty, timeoutSeconds);
    }
}
