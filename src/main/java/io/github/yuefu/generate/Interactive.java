package io.github.yuefu.generate;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.SampleConfig.Prompt;
import io.github.yuefu.config.SampleConfig.PromptKind;
import io.github.yuefu.text.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code yuefu write --interactive}: writing together with the model. Each turn shows the poem so far and the
 * k most likely next characters that keep every constraint (form, acrostic, rhyme, tones); the user picks one
 * by number, types a character, asks for whole-clause candidates ({@code l}), undoes ({@code u}) or quits
 * ({@code q}). Reads lines, so it works on a terminal and from a pipe (which is how it is tested).
 */
public final class Interactive {
    private final Generator gen;
    private final SampleConfig cfg;
    private final int k;
    private final BufferedReader in;
    private final PrintWriter out;
    private final StringBuilder text = new StringBuilder();

    public Interactive(Generator gen, SampleConfig cfg, int k, BufferedReader in, PrintWriter out) {
        if (cfg.prompt().kind() == PromptKind.CONTEXT) throw new ConfigException("--context cannot be used with --interactive");
        if (cfg.beam() > 0) throw new ConfigException("--beam cannot be used with --interactive");
        if (k < 1 || k > 50) throw new ConfigException("--choices must be 1..50, got " + k);
        this.gen = gen;
        this.cfg = cfg;
        this.k = k;
        this.in = in;
        this.out = out;
        text.append(cfg.prompt().printed());
    }

    /** Runs the session; returns the finished (or abandoned) text. */
    public String run() throws IOException {
        out.println("Writing " + (cfg.form() == null ? "free text" : cfg.form().chineseName + " (" + cfg.form().id() + ")")
                + ". Pick a number, type a character, 'l' for whole clauses, 'u' to undo, 'q' to quit.");
        int turn = 0;
        while (true) {
            if (done()) break;
            List<Generator.Choice> choices = gen.nextChoices(current(), k);
            show(choices);
            out.print("> ");
            out.flush();
            String line = in.readLine();
            if (line == null || line.trim().equals("q")) break;
            line = line.trim();
            if (line.isEmpty()) continue;
            if (++turn > 10_000) break; // a runaway pipe cannot keep us here forever
            if (line.equals("u")) {
                undo();
            } else if (line.equals("l")) {
                pickClause();
            } else if (line.chars().allMatch(Character::isDigit)) {
                int n = Integer.parseInt(line.length() > 4 ? "0" : line);
                if (n < 1 || n > choices.size()) {
                    out.println("no choice " + line + ": pick 1.." + choices.size());
                } else if (!append(choices.get(n - 1))) {
                    break;
                }
            } else {
                typed(line);
            }
        }
        out.println();
        for (String l : PoemText.lines(text.toString())) out.println(l);
        out.flush();
        return text.toString();
    }

    private boolean ended;

    private boolean done() {
        if (ended) return true;
        int len = text.codePointCount(0, text.length());
        return cfg.form() != null ? len >= cfg.form().textLength() : len >= cfg.maxLength();
    }

    private SampleConfig current() {
        Prompt p = text.isEmpty() ? Prompt.none() : new Prompt(PromptKind.PREFIX, text.toString());
        return cfg.withPrompt(p);
    }

    private void show(List<Generator.Choice> choices) {
        out.println();
        List<String> lines = PoemText.lines(text.toString());
        if (lines.isEmpty()) out.println("(empty)");
        lines.forEach(out::println);
        out.println("[" + gen.describeNext(current()) + "]");
        StringBuilder sb = new StringBuilder("next:");
        for (int i = 0; i < choices.size(); i++) {
            Generator.Choice c = choices.get(i);
            sb.append(String.format("  %d %s %.1f%%", i + 1, c.id() == Vocabulary.END ? "[end]" : c.token(), 100 * c.probability()));
        }
        out.println(sb);
    }

    /** Appends a choice; false when it was the end token. */
    private boolean append(Generator.Choice c) {
        if (c.id() == Vocabulary.END) {
            ended = true;
            return false;
        }
        text.append(c.token());
        return true;
    }

    private void undo() {
        int printed = cfg.prompt().printed().length();
        if (text.length() <= printed) {
            out.println("nothing to undo");
            return;
        }
        text.setLength(text.offsetByCodePoints(text.length(), -1));
    }

    private void typed(String s) {
        if (s.codePointCount(0, s.length()) != 1) {
            out.println("type one character, a number, l, u or q");
            return;
        }
        List<Generator.Choice> all = gen.nextChoices(current(), Integer.MAX_VALUE);
        for (Generator.Choice c : all) {
            if (c.token().equals(s)) {
                text.append(s);
                return;
            }
        }
        boolean known = gen.vocabulary().contains(s);
        out.println("'" + s + "' " + (known ? "does not fit here (form, acrostic, rhyme or tone)" : "is not in the model's vocabulary"));
    }

    private void pickClause() throws IOException {
        List<Poem> cands = gen.completeClause(current(), k);
        int before = text.codePointCount(0, text.length());
        for (int i = 0; i < cands.size(); i++) {
            String t = cands.get(i).text();
            out.printf("  %d %s%n", i + 1, t.substring(t.offsetByCodePoints(0, before)));
        }
        out.print("clause> ");
        out.flush();
        String line = in.readLine();
        if (line == null) return;
        line = line.trim();
        if (!line.matches("\\d{1,3}") || Integer.parseInt(line) < 1 || Integer.parseInt(line) > cands.size()) {
            out.println("no clause chosen");
            return;
        }
        Poem p = cands.get(Integer.parseInt(line) - 1);
        text.setLength(0);
        text.append(p.text());
        if (p.tokens()[p.tokens().length - 1] == Vocabulary.END && p.tokens().length > p.text().codePointCount(0, p.text().length())) {
            ended = true;
        }
    }
}
