package io.github.yuefu.cli;

import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.config.SampleConfig.InitialState;
import io.github.yuefu.config.SampleConfig.Prompt;
import io.github.yuefu.config.SampleConfig.PromptKind;
import io.github.yuefu.config.SampleConfig.Rhyme;
import io.github.yuefu.config.SampleConfig.Tones;
import io.github.yuefu.generate.CorpusIndex;
import io.github.yuefu.generate.Generator;
import io.github.yuefu.generate.Interactive;
import io.github.yuefu.generate.Poem;
import io.github.yuefu.generate.PoemPrinter;
import io.github.yuefu.generate.PoemReport;
import io.github.yuefu.generate.QualityReport;
import io.github.yuefu.generate.WriteModel;
import io.github.yuefu.poetics.Form;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yuefu write}: poems from a trained model; flags map onto {@link SampleConfig}, the work is in {@code generate}. */
@Command(name = "write", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write poems with a trained model: every decoding strategy, guaranteed forms, acrostics, rhyme and tones.",
                "Examples:  yuefu write --model run/ --start 月 --form wujue --rhyme",
                "           yuefu write --model run/ --acrostic 春夏秋冬 --tones hard --count 5 --report",
                "Options are described in docs/write.md."})
public final class WriteCommand implements Callable<Integer> {
    /** How a model path becomes a model; tests replace it with a fake. */
    static Function<Path, WriteModel> loader = ModelLoading::load;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PATH", description = "model file or training run directory")
    Path model;

    @Option(names = "--start", paramLabel = "CHAR", description = "first character of the poem")
    String start;

    @Option(names = "--prefix", paramLabel = "TEXT", description = "text the poem begins with (printed), continued by the model")
    String prefix;

    @Option(names = "--context", paramLabel = "TEXT", description = "text read silently before the poem to set its mood (not printed)")
    String context;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8", showDefaultValue = Visibility.ALWAYS,
            description = "divide logits by this; 0 = greedy")
    double temperature;

    @Option(names = "--greedy", description = "always take the most likely token (same as --temperature 0)")
    boolean greedy;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", showDefaultValue = Visibility.ALWAYS, description = "sample among the k most likely; 0 = all")
    int topK;

    @Option(names = "--top-p", paramLabel = "P", defaultValue = "1.0", showDefaultValue = Visibility.ALWAYS, description = "nucleus sampling mass; 1 = off")
    double topP;

    @Option(names = "--beam", paramLabel = "N", defaultValue = "0", showDefaultValue = Visibility.ALWAYS, description = "beam search width; 0 = sample")
    int beam;

    @Option(names = "--repetition-penalty", paramLabel = "THETA", defaultValue = "1.0", showDefaultValue = Visibility.ALWAYS,
            description = "penalise characters already used (CTRL-style); 1 = off")
    double repetitionPenalty;

    @Option(names = "--no-repeat-ngram", paramLabel = "N", defaultValue = "0", showDefaultValue = Visibility.ALWAYS,
            description = "forbid repeating any n-gram of this size; 0 = off")
    int noRepeatNgram;

    @Option(names = "--max-length", paramLabel = "L", defaultValue = "128", showDefaultValue = Visibility.ALWAYS,
            description = "most tokens to generate for free text (the end is then forced); forms have their own length")
    int maxLength;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", showDefaultValue = Visibility.ALWAYS, description = "poems, sampled as one batch")
    int count;

    @Option(names = "--seed", paramLabel = "N", description = "random seed (default: a fresh one, printed on stderr)")
    Long seed;

    @Option(names = "--initial-state", paramLabel = "zeros|random", defaultValue = "zeros", showDefaultValue = Visibility.ALWAYS,
            description = "zeros or random (N(0, 0.5²), as one course report does)")
    InitialState initialState;

    @Option(names = "--form", paramLabel = "FORM", description = "wujue, qijue, wulv or qilv (五绝 七绝 五律 七律)")
    String form;

    @Option(names = "--acrostic", paramLabel = "CHARS", description = "藏头诗: these characters head successive clauses (4 → 绝句, 8 → 律诗)")
    String acrostic;

    @Option(names = "--acrostic-position", paramLabel = "K", defaultValue = "1", showDefaultValue = Visibility.ALWAYS,
            description = "character position (1-based) of the acrostic inside each clause")
    int acrosticPosition;

    @Option(names = "--rhyme", description = "even clauses end in one rhyme group (中华新韵)")
    boolean rhyme;

    @Option(names = "--rhyme-first", description = "with --rhyme: the first clause rhymes too")
    boolean rhymeFirst;

    @Option(names = "--tones", paramLabel = "off|soft|hard", defaultValue = "off", showDefaultValue = Visibility.ALWAYS,
            description = "regulated-verse 平仄: off, soft (penalty) or hard (mask)")
    Tones tones;

    @Option(names = "--tone-penalty", paramLabel = "X", defaultValue = "2.0", showDefaultValue = Visibility.ALWAYS,
            description = "logit penalty for a wrong tone with --tones soft")
    double tonePenalty;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", showDefaultValue = Visibility.ALWAYS, description = "seconds before giving up")
    double timeout;

    @Option(names = "--report", description = "check each poem: form, rhyme groups, tone match, repeats, longest run copied from the corpus")
    boolean report;

    @Option(names = "--corpus", paramLabel = "FILE", description = "training corpus for --report (default: the one the model file names)")
    Path corpus;

    @Option(names = "--json", description = "print a JSON list of {text, lines, logprob, perplexity, report?}")
    boolean json;

    @Option(names = "--interactive", description = "write together: pick among the model's next characters or clauses")
    boolean interactive;

    @Option(names = "--choices", paramLabel = "K", defaultValue = "9", showDefaultValue = Visibility.ALWAYS, description = "candidates shown per turn with --interactive")
    int choices;

    @Option(names = "--eval-quality", paramLabel = "N",
            description = "measure quality instead: N poems per setting (forms, rhyme, tones, acrostic): form/rhyme rates, "
                    + "distinct-1/2, novelty against the corpus, perplexity, speed batched and at B = 1")
    Integer evalQuality;

    @Override
    public Integer call() throws IOException {
        SampleConfig cfg = config();
        WriteModel wm = loader.apply(model);
        Generator gen = new Generator(wm.model(), wm.vocabulary(), wm.tokenizer());
        PrintWriter out = spec.commandLine().getOut();
        if (evalQuality != null) {
            if (evalQuality < 1 || evalQuality > SampleConfig.MAX_COUNT) throw new ConfigException("--eval-quality must be 1.." + SampleConfig.MAX_COUNT);
            CorpusIndex index = corpusIndex(wm);
            java.util.List<QualityReport.Row> rows = new java.util.ArrayList<>();
            for (QualityReport.Setting s : QualityReport.defaultSettings(cfg, evalQuality)) {
                rows.add(QualityReport.measure(gen, s, index));
                QualityReport.print(rows.subList(rows.size() - 1, rows.size()), out);
            }
            out.println();
            QualityReport.print(rows, out);
            SampleConfig one = cfg.withForm(Form.WUJUE, "", 1, Rhyme.NONE, Tones.OFF);
            out.printf("speed wujue, one poem at a time (B = 1): %.0f tokens/s over %d poems%n",
                    QualityReport.singleSpeed(gen, one, Math.min(20, evalQuality)), Math.min(20, evalQuality));
            out.flush();
            return Main.EXIT_OK;
        }
        if (interactive) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            new Interactive(gen, cfg, choices, in, out).run();
            return Main.EXIT_OK;
        }
        CorpusIndex index = report ? corpusIndex(wm) : null;
        List<Poem> poems = gen.generate(cfg);
        List<PoemReport> reports = report ? PoemPrinter.reports(poems, cfg.form(), index) : null;
        if (json) PoemPrinter.json(poems, reports, out);
        else PoemPrinter.text(poems, reports, out);
        return Main.EXIT_OK;
    }

    /** The flags as a validated request. */
    SampleConfig config() {
        int prompts = (start != null ? 1 : 0) + (prefix != null ? 1 : 0) + (context != null ? 1 : 0);
        if (prompts > 1) throw new ConfigException("--start, --prefix and --context exclude each other: give one");
        Prompt prompt = start != null ? new Prompt(PromptKind.START, start)
                : prefix != null ? new Prompt(PromptKind.PREFIX, prefix)
                : context != null ? new Prompt(PromptKind.CONTEXT, context) : Prompt.none();
        if (rhymeFirst && !rhyme) throw new ConfigException("--rhyme-first needs --rhyme");
        if (report && json && interactive) throw new ConfigException("--interactive prints no report or JSON");
        long s = seed != null ? seed : System.nanoTime() & 0xFFFFFFFL;
        if (seed == null && !interactive) spec.commandLine().getErr().println("yuefu: seed " + s + " (pass --seed " + s + " to repeat)");
        Rhyme r = !rhyme ? Rhyme.NONE : rhymeFirst ? Rhyme.EVEN_AND_FIRST : Rhyme.EVEN;
        return new SampleConfig(prompt, greedy ? 0 : temperature, topK, topP, beam, repetitionPenalty, noRepeatNgram,
                maxLength, count, s, initialState, form == null ? null : Form.parse(form), acrostic, acrosticPosition,
                r, tones, tonePenalty, timeout);
    }

    private CorpusIndex corpusIndex(WriteModel wm) {
        if (corpus != null) {
            if (!Files.exists(corpus)) throw new ConfigException("--corpus " + corpus + ": no such file");
            return CorpusIndex.load(corpus);
        }
        CorpusConfig c = wm.corpus();
        if (c == null || !c.paths().stream().allMatch(Files::exists)) {
            spec.commandLine().getErr().println("yuefu: the model file names no corpus that exists here"
                    + (c == null ? "" : " (" + c.paths() + ")") + "; pass --corpus FILE to check for copied text");
            return null;
        }
        return CorpusIndex.load(c);
    }
}
