package io.github.yuefu.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A stand-in model for fast API tests: writes poems of exactly the requested form from a small character set,
 * seeded, with an optional pause per character (to fill the pool or run past a deadline). Checks the deadline
 * at every character, as a real service must.
 */
final class FakePoemService implements PoemService {
    private static final String CHARS = "山水风花雪月春秋江天云日夜人何处不知明来去相思长空";
    private final List<ModelInfo> models;
    private final long pauseMillis;

    FakePoemService(long pauseMillis, String... names) {
        this.pauseMillis = pauseMillis;
        List<ModelInfo> m = new ArrayList<>();
        for (String n : names) {
            m.add(new ModelInfo(n, Map.of("cell", "LSTM", "layers", 2, "hidden", 64, "vocab", CHARS.length() + 4),
                    Map.of("fake", true)));
        }
        this.models = List.copyOf(m);
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public List<PoemResult> generate(GenerateRequest request, Deadline deadline) {
        List<PoemResult> out = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) out.add(write(request, i, deadline, t -> { }));
        return out;
    }

    @Override
    public PoemResult stream(GenerateRequest request, Deadline deadline, Consumer<String> onToken) {
        return write(request, 0, deadline, onToken);
    }

    private PoemResult write(GenerateRequest r, int index, Deadline deadline, Consumer<String> onToken) {
        if (r.start() != null && r.start().equals("龘")) throw RequestException.badField("start", "'龘' is not in the vocabulary");
        String form = r.form() != null ? r.form() : "wujue";
        int clauses = GenerateRequest.clauses(form), len = GenerateRequest.clauseLength(form);
        SplittableRandom rng = new SplittableRandom(r.seed() + index);
        StringBuilder sb = new StringBuilder();
        double logprob = 0;
        for (int c = 0; c < clauses; c++) {
            for (int k = 0; k < len; k++) {
                String ch;
                if (k == 0 && c == 0 && r.start() != null) ch = r.start();
                else if (k == 0 && r.acrostic() != null && c < r.acrostic().length()) ch = r.acrostic().substring(c, c + 1);
                else ch = String.valueOf(CHARS.charAt(rng.nextInt(CHARS.length())));
                emit(sb, ch, deadline, onToken);
                logprob -= 2.5;
            }
            emit(sb, c % 2 == 0 ? "，" : "。", deadline, onToken);
        }
        int tokens = clauses * (len + 1) + 1;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("form", form);
        report.put("form_ok", true);
        report.put("rhyme_groups", List.of("an", "an"));
        report.put("tone_match", 0.75);
        return new PoemResult(sb.toString(), logprob, Math.exp(-logprob / tokens), report);
    }

    private void emit(StringBuilder sb, String ch, Deadline deadline, Consumer<String> onToken) {
        deadline.check();
        if (pauseMillis > 0) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Deadline.Expired("interrupted");
            }
        }
        sb.append(ch);
        onToken.accept(ch);
    }
}
