package io.github.yuefu.cli;

import io.github.yuefu.data.EncodedCorpus;
import io.github.yuefu.data.PoemBatches;
import io.github.yuefu.text.Corpus;
import io.github.yuefu.text.CorpusWriter;
import io.github.yuefu.text.CorpusFetcher;
import io.github.yuefu.text.CorpusStats;
import io.github.yuefu.text.LoadedCorpus;
import io.github.yuefu.text.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yuefu corpus}: look at, fetch and clean corpora. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = "Inspect, fetch and clean corpora (poems.txt, chinese-poetry JSON or .tgz, plain text).",
        subcommands = {CorpusCommand.Stats.class, CorpusCommand.Fetch.class, CorpusCommand.Clean.class})
public final class CorpusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return Main.EXIT_OK;
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Documents, characters, distinct characters, 99%% coverage, length distribution, and what each filter drops.")
    static final class Stats implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "corpus files or directories (read in order)")
        List<Path> files;

        @Mixin
        CorpusOptions corpus;

        @Option(names = "--time", description = "also build the vocabulary, encode, and print how long each step took")
        boolean time;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            long t0 = System.nanoTime();
            LoadedCorpus loaded = Corpus.load(corpus.toConfig(files));
            long t1 = System.nanoTime();
            loaded.stats().print(out, loaded);
            if (time) {
                long t2 = System.nanoTime();
                Vocabulary vocab = loaded.buildVocabulary();
                long t3 = System.nanoTime();
                EncodedCorpus enc = EncodedCorpus.encode(loaded, vocab);
                long t4 = System.nanoTime();
                out.printf("vocabulary      %,d tokens (4 special), %,d encoded tokens, %,d unknown%n", vocab.size(), enc.tokenCount(), enc.unknownCount());
                if (enc.all().maxLength() <= PoemBatches.MAX_DOCUMENT_TOKENS) {
                    PoemBatches pb = new PoemBatches(enc.all(), 64, 1);
                    out.printf("poem batches    B=64: %,d per epoch, padding %.2f%% shuffled+bucketed (%.2f%% length-sorted)%n",
                            pb.batchesPerEpoch(), 100 * pb.paddingFraction(), 100 * new PoemBatches(enc.all(), 64, 1, false).paddingFraction());
                }
                out.printf("time            read+clean %.0f ms, vocabulary %.0f ms, encode %.0f ms: %.0f ms in all (JVM %s)%n",
                        (t1 - t0) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t1 - t0 + t4 - t2) / 1e6, Runtime.version());
            }
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download the chinese-poetry collection (npm pack chinese-poetry@2.0.1, ~85 MB) into a cache directory.")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--cache", paramLabel = "DIR", description = "cache directory (default: $XDG_CACHE_HOME/yuefu or ~/.cache/yuefu)")
        Path cache;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path tgz = new CorpusFetcher().fetch(cache != null ? cache : CorpusFetcher.defaultCache(), out);
            out.println("use it with: yuefu corpus stats " + tgz + " --collection tang");
            out.flush();
            return Main.EXIT_OK;
        }
    }

    @Command(name = "clean", mixinStandardHelpOptions = true,
            description = "Write the cleaned documents, one per line (a poem's content, or a text line), to a new file.")
    static final class Clean implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "corpus files or directories (read in order)")
        List<Path> files;

        @Mixin
        CorpusOptions corpus;

        @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "file to write (atomically)")
        Path output;

        @Option(names = "--titles", description = "write title:content lines (poems.txt format) instead of content only",
                showDefaultValue = Visibility.NEVER)
        boolean titles;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LoadedCorpus loaded = Corpus.load(corpus.toConfig(files));
            CorpusWriter.write(loaded, output, titles);
            out.println("wrote " + loaded.documents().size() + " documents to " + output + " (" + loaded.report().summary() + ")");
            out.flush();
            return Main.EXIT_OK;
        }
    }
}
