package io.github.yuefu.server;

import java.util.List;

/**
 * One validated generation request, as the HTTP API receives it (JSON body of {@code POST /api/generate}, or the
 * query of {@code GET /api/generate/stream}; field names in parentheses). {@link RequestParser} builds it and has
 * already checked every bound in {@link ServerLimits}; a {@link PoemService} checks what needs the model (unknown
 * characters).
 *
 * @param model       model name as given to {@code yuefu serve} ("model")
 * @param start       one start character, or null ("start")
 * @param prefix      text to continue, or null ("prefix")
 * @param acrostic    clause heads of a 藏头诗, or null ("acrostic"); at most one of start/prefix/acrostic
 * @param form        one of {@link #FORMS}, or null for free verse ("form")
 * @param rhyme       even clauses rhyme ("rhyme")
 * @param tones       level/oblique pattern: "off", "soft" (penalty) or "hard" (mask) ("tones")
 * @param temperature softmax temperature; 0 = greedy ("temperature")
 * @param topK        sample among the k most likely; 0 = all ("top_k")
 * @param topP        nucleus mass; 1 = all ("top_p")
 * @param beam        beam width; 1 = sampling ("beam")
 * @param count       poems to write ("count")
 * @param seed        random seed (the server picks one when absent and returns it) ("seed")
 * @param maxLength   most characters to write, punctuation included ("max_length")
 */
public record GenerateRequest(String model, String start, String prefix, String acrostic, String form, boolean rhyme,
                              String tones, double temperature, int topK, double topP, int beam, int count, long seed,
                              int maxLength) {

    /** Regulated forms: 五言绝句, 七言绝句, 五言律诗, 七言律诗. */
    public static final List<String> FORMS = List.of("wujue", "qijue", "wulv", "qilv");
    public static final List<String> TONES = List.of("off", "soft", "hard");

    /** Characters per clause of a form (5 or 7). */
    public static int clauseLength(String form) {
        return form.startsWith("wu") ? 5 : 7;
    }

    /** Clauses of a form (4 or 8). */
    public static int clauses(String form) {
        return form.endsWith("jue") ? 4 : 8;
    }

    /** A one-line description for logs and reports. */
    public String describe() {
        StringBuilder sb = new StringBuilder(model);
        if (start != null) sb.append(" start=").append(start);
        if (prefix != null) sb.append(" prefix=").append(prefix);
        if (acrostic != null) sb.append(" acrostic=").append(acrostic);
        if (form != null) sb.append(" form=").append(form);
        if (rhyme) sb.append(" rhyme");
        if (!"off".equals(tones)) sb.append(" tones=").append(tones);
        sb.append(" T=").append(temperature);
        if (topK > 0) sb.append(" top_k=").append(topK);
        if (topP < 1) sb.append(" top_p=").append(topP);
        if (beam > 1) sb.append(" beam=").append(beam);
        return sb.append(" count=").append(count).append(" seed=").append(seed).toString();
    }
}
