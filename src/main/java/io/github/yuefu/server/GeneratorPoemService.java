package io.github.yuefu.server;

import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.ModelConfig;
import io.github.yuefu.config.SampleConfig;
import io.github.yuefu.generate.Generator;
import io.github.yuefu.generate.Poem;
import io.github.yuefu.generate.PoemReport;
import io.github.yuefu.generate.TokenListener;
import io.github.yuefu.model.LanguageModel;
import io.github.yuefu.poetics.Form;
import io.github.yuefu.text.Vocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real {@link PoemService}: model files loaded once at startup, poems written by {@link Generator}.
 *
 * <p>Sharing: each model's weights live in one array. A {@link LanguageModel} keeps per-call step buffers, so one
 * instance must not step on two threads at once; every generation thread therefore borrows its own
 * {@link Generator} over a {@link LanguageModel#sharingWeights() weight-sharing twin}, from a per-model pool that
 * grows to at most the number of generation threads. The twin adds only the step buffers (a few (B, G·H)
 * arrays), never a copy of the weights. Every request builds its own recurrent state inside the generator.
 */
public final class GeneratorPoemService implements PoemService {

    /** A model as named on the command line: {@code NAME=PATH} or {@code PATH} (named after the file or run dir). */
    public record ModelSpec(String name, Path path) {
        private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}_.-]{1,64}");

        public ModelSpec {
            if (!NAME.matcher(name).matches()) {
                throw new ConfigException("--model name '" + name + "' must be 1..64 letters, digits, '_', '.' or '-'");
            }
        }

        public static ModelSpec parse(String arg) {
            int eq = arg.indexOf('=');
            if (eq > 0) return new ModelSpec(arg.substring(0, eq), Path.of(arg.substring(eq + 1)));
            Path p = Path.of(arg);
            String file = p.toAbsolutePath().normalize().getFileName().toString();
            String name = Files.isDirectory(p) ? file : file.replaceFirst("\\.[^.]+$", "");
            return new ModelSpec(name.isEmpty() ? "model" : name, p);
        }
    }

    /** One offered model: the loaded weights, its vocabulary, and the pool of generators over them. */
    public static final class Served {
        final ModelInfo info;
        final LanguageModel model;
        final Vocabulary vocab;
        private final ConcurrentLinkedQueue<Generator> idle = new ConcurrentLinkedQueue<>();

        public Served(String name, LanguageModel model, Vocabulary vocab, Map<String, Object> details) {
            this.model = model;
            this.vocab = vocab;
            this.info = new ModelInfo(name, configMap(model.config()), details);
            new Generator(model, vocab);   // checks model and vocabulary agree, before the first request
        }

        Generator borrow() {
            Generator g = idle.poll();
            return g != null ? g : new Generator(model.sharingWeights(), vocab);
        }

        void giveBack(Generator g) {
            idle.add(g);
        }
    }

    private final Map<String, Served> models = new LinkedHashMap<>();
    private final List<ModelInfo> infos;

    public GeneratorPoemService(List<Served> served) {
        if (served.isEmpty()) throw new ConfigException("serve needs at least one --model");
        for (Served s : served) {
            if (models.put(s.info.name(), s) != null) {
                throw new ConfigException("two models are named '" + s.info.name() + "'; name them with --model NAME=PATH");
            }
        }
        this.infos = served.stream().map(s -> s.info).toList();
    }

    /** Loads every model file (or run directory's best checkpoint) once. */
    public static GeneratorPoemService load(List<ModelSpec> specs) {
        List<Served> served = new ArrayList<>();
        for (ModelSpec spec : specs) {
            ModelFile.LoadedModel m = ModelFile.load(spec.path());
            m.model().setWeightsFrozen(true);   // served, never trained: twins inherit it (sharingWeights)
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("file", m.file().getFileName().toString());
            details.put("parameters", m.model().params().size());
            served.add(new Served(spec.name(), m.model(), m.vocabulary(), details));
        }
        return new GeneratorPoemService(served);
    }

    @Override
    public List<ModelInfo> models() {
        return infos;
    }

    @Override
    public List<PoemResult> generate(GenerateRequest request, Deadline deadline) {
        List<Poem> poems = run(request, deadline, (poem, id, text) -> deadline.check());
        return poems.stream().map(p -> result(p, request)).toList();
    }

    @Override
    public PoemResult stream(GenerateRequest request, Deadline deadline, Consumer<String> onToken) {
        String printed = request.start() != null ? request.start() : request.prefix();
        boolean[] first = {true};
        // The generator reports only what it chooses; the start character or prefix is echoed before the first.
        TokenListener listener = (poem, id, text) -> {
            deadline.check();
            if (poem != 0) return;
            if (first[0]) {
                first[0] = false;
                if (printed != null) printed.codePoints().forEach(cp -> onToken.accept(Character.toString(cp)));
            }
            if (!text.isEmpty()) onToken.accept(text);
        };
        return result(run(request, deadline, listener).getFirst(), request);
    }

    private List<Poem> run(GenerateRequest request, Deadline deadline, TokenListener listener) {
        Served s = models.get(request.model());
        if (s == null) throw RequestException.badField("model", "no model named '" + request.model() + "'");
        SampleConfig cfg = sampleConfig(request, deadline);
        Generator g = s.borrow();
        try {
            return g.generate(cfg, listener);
        } catch (ConfigException e) {
            if (deadline.expired()) throw new Deadline.Expired("timed out");
            throw asRequestError(e);
        } finally {
            s.giveBack(g);
        }
    }

    /** The API request as the generator's config. SampleConfig re-validates it, with the CLI's messages. */
    static SampleConfig sampleConfig(GenerateRequest r, Deadline deadline) {
        try {
            SampleConfig.Prompt prompt = r.start() != null ? new SampleConfig.Prompt(SampleConfig.PromptKind.START, r.start())
                    : r.prefix() != null ? new SampleConfig.Prompt(SampleConfig.PromptKind.PREFIX, r.prefix())
                    : SampleConfig.Prompt.none();
            Form form = r.form() == null ? null : Form.parse(r.form());
            if (form == null && (r.rhyme() || !r.tones().equals("off")) && r.acrostic() == null) {
                throw RequestException.badField(r.rhyme() ? "rhyme" : "tones", "needs a form (wujue, qijue, wulv, qilv) or an acrostic");
            }
            // The generator's own clock is a backstop a little behind the server's deadline, which fires first.
            double timeout = Math.max(0.001, deadline.remainingNanos() / 1e9 + 1);
            return SampleConfig.defaults()
                    .withPrompt(prompt)
                    .withDecoding(r.temperature(), r.topK(), r.topP(), r.beam() <= 1 ? 0 : r.beam())
                    .withRun(r.maxLength(), r.count(), r.seed(), SampleConfig.InitialState.ZEROS)
                    .withForm(form, r.acrostic() == null ? "" : r.acrostic(), 1,
                            r.rhyme() ? SampleConfig.Rhyme.EVEN : SampleConfig.Rhyme.NONE,
                            SampleConfig.Tones.valueOf(r.tones().toUpperCase(java.util.Locale.ROOT)))
                    .withTiming(SampleConfig.defaults().tonePenalty(), Math.min(timeout, 1e6));
        } catch (ConfigException e) {
            throw asRequestError(e);
        }
    }

    private static final Pattern FLAG = Pattern.compile("^--([a-z][a-z-]*)");

    /** A generator message names a CLI flag ("--start has a character…"); the API names the field ("start"). */
    static RequestException asRequestError(ConfigException e) {
        String msg = e.getMessage();
        Matcher m = FLAG.matcher(msg);
        String field = m.find() ? m.group(1).replace('-', '_') : null;
        if (field != null && !RequestParser.FIELDS.contains(field)) field = null;
        String text = msg.replaceAll("--([a-z][a-z-]*)", "$1").replace("top-k", "top_k").replace("top-p", "top_p")
                .replace("max-length", "max_length");
        if (field != null && !text.startsWith(field + ":")) text = field + ": " + text;
        return new RequestException(400, field, text);
    }

    private static PoemResult result(Poem p, GenerateRequest r) {
        Form form = r.form() == null ? null : Form.parse(r.form());
        PoemReport rep = PoemReport.of(p.text(), form, null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("form", rep.form());
        m.put("form_ok", rep.formOk());
        if (rep.formProblem() != null) m.put("form_problem", rep.formProblem());
        m.put("rhyme_groups", rep.rhymeGroups());
        m.put("rhymes", rep.rhymes());
        if (!Double.isNaN(rep.toneMatch())) {
            m.put("tone_match", Math.round(rep.toneMatch() * 1000) / 1000.0);
            m.put("tone_pattern", rep.tonePattern());
        }
        m.put("repeated", rep.repeated());
        m.put("tokens", p.scored());
        if (!p.relaxed().isEmpty()) m.put("relaxed", p.relaxed());
        return new PoemResult(p.text(), p.logProb(), p.perplexity(), m);
    }

    static Map<String, Object> configMap(ModelConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cell", c.cell().name());
        m.put("layers", c.layers());
        m.put("vocab", c.vocab());
        m.put("input", c.input().name());
        m.put("embed", c.embed());
        m.put("hidden", c.hidden());
        return m;
    }
}
