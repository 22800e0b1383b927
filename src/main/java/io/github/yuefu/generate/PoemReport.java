package io.github.yuefu.generate;

import io.github.yuefu.poetics.Form;
import io.github.yuefu.poetics.RhymeGroup;
import io.github.yuefu.poetics.TonePattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reader would check in a generated poem.
 *
 * @param form         the form checked: the one requested, else the one the text has, else null (free text)
 * @param formOk       the text has exactly that form
 * @param formProblem  why not (null when ok or no form)
 * @param rhymeGroups  rhyme group label of each clause's last character (中华新韵: 麻 波 … 姑; "?" unknown)
 * @param rhymes       the even clauses all end in one rhyme group
 * @param toneMatch    share of strict 平仄 positions matching the best of the form's four standard patterns
 *                     (modern tones; NaN for free text)
 * @param tonePattern  that best pattern, e.g. "仄起首句不入韵 …"
 * @param repeated     characters used more than once (punctuation excluded) → count
 * @param copied       the longest run found verbatim in the training corpus (null when no corpus was given)
 */
public record PoemReport(String form, boolean formOk, String formProblem, List<String> rhymeGroups, boolean rhymes,
                         double toneMatch, String tonePattern, Map<String, Integer> repeated, String copied) {

    public int copiedLength() {
        return copied == null ? 0 : copied.codePointCount(0, copied.length());
    }

    /** Checks {@code text} against {@code requested} (or the form it has), with an optional corpus index. */
    public static PoemReport of(String text, Form requested, CorpusIndex corpus) {
        Form form = requested != null ? requested : Form.detect(text);
        String problem = form == null ? null : form.violation(text);
        List<String> clauses = PoemText.clauses(text);
        List<String> groups = new ArrayList<>();
        for (String c : clauses) {
            RhymeGroup g = RhymeGroup.of(c.codePointBefore(c.length()));
            groups.add(g == null ? "?" : String.valueOf(g.label));
        }
        boolean rhymes = clauses.size() >= 2;
        for (int i = 3; i < groups.size(); i += 2) rhymes &= groups.get(i).equals(groups.get(1)) && !groups.get(1).equals("?");
        if (groups.size() >= 2 && groups.get(1).equals("?")) rhymes = false;
        double tone = Double.NaN;
        String pattern = null;
        if (form != null) {
            for (TonePattern p : TonePattern.all(form)) {
                double m = p.match(clauses);
                if (Double.isNaN(tone) || m > tone) {
                    tone = m;
                    pattern = p.toString();
                }
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        text.codePoints().filter(cp -> !PoemText.isClauseEnd(cp))
                .forEach(cp -> counts.merge(Character.toString(cp), 1, Integer::sum));
        counts.values().removeIf(n -> n < 2);
        String copied = corpus == null ? null : corpus.longestCopied(text);
        return new PoemReport(form == null ? null : form.id(), form != null && problem == null, problem, groups, rhymes,
                tone, pattern, counts, copied);
    }

    /** A few human-readable lines for the terminal. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("  form: " + (form == null ? "free text" : form + (formOk ? " ✓" : " ✗ " + formProblem)));
        out.add("  rhyme groups: " + String.join(" ", rhymeGroups) + (rhymes ? "  (even clauses rhyme)" : "  (even clauses do not rhyme)"));
        if (!Double.isNaN(toneMatch)) out.add(String.format("  tones: %.0f%% of strict positions match %s", 100 * toneMatch, tonePattern));
        out.add("  repeated: " + (repeated.isEmpty() ? "none" : repeated.toString()));
        if (copied != null) out.add("  longest run in the corpus: " + copiedLength() + " (" + copied + ")");
        return out;
    }
}
