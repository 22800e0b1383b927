package io.github.yuefu.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.yuefu.poetics.Form;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints poems for people (one clause pair per line) or as JSON (a list of {text, logprob, perplexity, report?}). */
public final class PoemPrinter {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PoemPrinter() {}

    public static void text(List<Poem> poems, List<PoemReport> reports, PrintWriter out) {
        for (int i = 0; i < poems.size(); i++) {
            Poem p = poems.get(i);
            if (i > 0) out.println();
            for (String line : p.lines()) out.println(line);
            out.printf("  (log-prob %.2f, perplexity %.2f%s)%n", p.logProb(), p.perplexity(),
                    p.relaxed().isEmpty() ? "" : "; " + String.join(", ", p.relaxed()));
            if (reports != null) reports.get(i).describe().forEach(out::println);
        }
        out.flush();
    }

    public static void json(List<Poem> poems, List<PoemReport> reports, PrintWriter out) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < poems.size(); i++) {
            Poem p = poems.get(i);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("text", p.text());
            o.put("lines", p.lines());
            o.put("logprob", p.logProb());
            o.put("perplexity", p.perplexity());
            if (!p.relaxed().isEmpty()) o.put("relaxed", p.relaxed());
            if (reports != null) o.put("report", reportJson(reports.get(i)));
            list.add(o);
        }
        try {
            out.println(JSON.writeValueAsString(list));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    static Map<String, Object> reportJson(PoemReport r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("form", r.form());
        o.put("form_ok", r.formOk());
        if (r.formProblem() != null) o.put("form_problem", r.formProblem());
        o.put("rhyme_groups", r.rhymeGroups());
        o.put("rhymes", r.rhymes());
        o.put("tone_match", Double.isNaN(r.toneMatch()) ? null : r.toneMatch());
        o.put("tone_pattern", r.tonePattern());
        o.put("repeated", r.repeated());
        if (r.copied() != null) {
            o.put("longest_copied", r.copied());
            o.put("longest_copied_length", r.copiedLength());
        }
        return o;
    }

    /** Reports for every poem against the requested form (or the form each has). */
    public static List<PoemReport> reports(List<Poem> poems, Form form, CorpusIndex corpus) {
        List<PoemReport> out = new ArrayList<>(poems.size());
        for (Poem p : poems) out.add(PoemReport.of(p.text(), form, corpus));
        return out;
    }
}
