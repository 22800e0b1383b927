package io.github.yuefu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.checkpoint.ModelFile;
import io.github.yuefu.kernel.Parallel;
import io.github.yuefu.train.CorpusEvaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yuefu eval}: held-out loss, perplexity and bits per character of a model on a corpus. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Held-out loss, perplexity (exp of the mean NLL over all non-pad tokens) and bits per character.",
                "On the model's own training corpus only its validation documents are scored."})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "model file or run directory (its best checkpoint)")
    Path model;

    @Option(names = "--corpus", required = true, arity = "1..*", paramLabel = "FILE", description = "corpus files or directories")
    List<Path> corpusFiles;

    @Mixin
    CorpusOptions corpus;

    @Option(names = "--batch", description = "batch size", defaultValue = "64", showDefaultValue = Visibility.ALWAYS)
    int batch;

    @Option(names = "--threads", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() {
        if (threads != null) Parallel.setThreads(threads);
        ModelFile.LoadedModel lm = ModelFile.load(model);
        // Corpus options given on the command line win; otherwise the cleaning the model was trained with.
        boolean explicit = spec.mixins().get("corpus").options().stream()
                .anyMatch(o -> spec.commandLine().getParseResult().hasMatchedOption(o));
        CorpusEvaluation.Report r = CorpusEvaluation.run(lm, corpus.toConfig(corpusFiles), !explicit, batch);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("model", r.model().toString());
            o.put("corpus", r.corpus().toString());
            o.put("subset", r.subset());
            o.put("documents", r.documents());
            o.put("tokens", r.result().tokens());
            o.put("unknown_tokens", r.unknownTokens());
            o.put("loss", r.result().loss());
            o.put("ppl", r.result().ppl());
            o.put("bpc", r.result().bpc());
            out.println(o);
        } else {
            out.printf("model       %s%n", r.model());
            out.printf("corpus      %s (%s: %,d documents, %,d tokens scored, %,d unknown tokens in the file)%n",
                    r.corpus(), r.subset(), r.documents(), r.result().tokens(), r.unknownTokens());
            out.printf("loss        %.4f nats/token%n", r.result().loss());
            out.printf("perplexity  %.2f%n", r.result().ppl());
            out.printf("bits/char   %.4f%n", r.result().bpc());
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
