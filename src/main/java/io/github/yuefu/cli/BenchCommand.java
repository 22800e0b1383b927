package io.github.yuefu.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.yuefu.bench.CharLmBench;
import io.github.yuefu.bench.CharLmBenchConfig;
import io.github.yuefu.bench.GemmBench;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.kernel.Gemm;
import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.kernel.Parallel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yuefu bench}: the char-LM training/generation benchmark (peer of torch_charlm.py) or sgemm GFLOP/s. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        header = "Benchmark training and generation speed (same fields as the PyTorch peer), or sgemm GFLOP/s.",
        description = {"Benchmark: with --config (or explicit sizes) train and generate with a char LM and print one",
                "JSON line with the same fields as ../shared/bench/torch_charlm.py; with --gemm M,K,N print sgemm",
                "GFLOP/s (best and median of timed rounds) per thread count. bench/compare.sh runs both peers."})
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--config", description = "Standard configuration A|B|C|D|E (../shared/bench/README.md); "
            + "explicit options below override its fields. Default A.")
    String config;

    @Option(names = "--cell", description = "rnn, lstm or gru.") String cell;
    @Option(names = "--layers", description = "Recurrent layers.") Integer layers;
    @Option(names = "--embed", description = "Embedding width E.") Integer embed;
    @Option(names = "--hidden", description = "Hidden width H.") Integer hidden;
    @Option(names = "--vocab", description = "Vocabulary size V.") Integer vocab;
    @Option(names = "--batch", description = "Batch size B.") Integer batch;
    @Option(names = "--seq", description = "Window length T.") Integer seq;
    @Option(names = "--steps", description = "Timed training steps (default 50, as the peer).") Integer steps;
    @Option(names = "--warmup", description = "Untimed warm-up steps (default 5).") Integer warmup;
    @Option(names = "--threads", description = "Threads (default 2, as the peer; for --gemm: a list, default 1,2).",
            split = ",")
    List<Integer> threads;
    @Option(names = "--gen-tokens", description = "Greedy generation length (default 1000).") Integer genTokens;
    @Option(names = "--gen-warmup", description = "Untimed greedy tokens before the timed generation runs (default "
            + CharLmBenchConfig.GEN_WARMUP + ": the JIT compiles the step path after a few thousand; the peer uses 20).")
    Integer genWarmup;
    @Option(names = "--seed", description = "Seed for init and batches (default 1234).") Long seed;
    @Option(names = "--label", description = "Free text copied into the JSON.") String label;
    @Option(names = "--peak-gflops", description = "sgemm peak for share_of_peak (bench/compare.sh passes OpenBLAS's, "
            + "measured just before); default: measure yuefu's own sgemm (2048x512x2048) after the run, ~3 s.")
    Double peak;

    @Option(names = "--data", defaultValue = "../shared/data/poems.txt", showDefaultValue = Visibility.ALWAYS,
            description = "Text for the training windows (the peer's poems.txt); synthetic Zipf ids when absent.")
    Path data;

    @Option(names = "--engine", defaultValue = "best", showDefaultValue = Visibility.ALWAYS,
            description = "GEMM implementation: " + Gemms.NAMES + ".")
    String engine;

    @Option(names = "--gemm", paramLabel = "M,K,N[,tA,tB]", description = "Measure sgemm on this shape instead "
            + "(repeatable; tA/tB = n or t, default n,n), e.g. --gemm 2048,512,2048 --gemm 64,512,2048,n,t.")
    List<String> gemmShapes = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Gemm g = Gemms.forName(engine);
        if (!gemmShapes.isEmpty()) {
            List<Integer> ts = threads == null ? List.of(1, 2) : threads;
            for (String s : gemmShapes) {
                int[] shape = new int[3];
                boolean[] trans = new boolean[2];
                parseShape(s, shape, trans);
                for (int t : ts) {
                    Parallel.setThreads(t);
                    out.println(GemmBench.measure(g, shape[0], shape[1], shape[2], trans[0], trans[1], 7, 0.3).json());
                    out.flush();
                }
            }
            return Main.EXIT_OK;
        }
        CharLmBenchConfig p = CharLmBenchConfig.preset(config == null ? "A" : config);
        if (peak != null && !(peak > 0)) throw new ConfigException("--peak-gflops " + peak + ": must be > 0 GFLOP/s");
        if (threads != null && threads.size() != 1) throw new ConfigException("--threads takes one number with --config");
        CharLmBenchConfig c = new CharLmBenchConfig(
                label != null ? label : (config == null && cell != null ? "" : p.label()),
                cell != null ? CellType.parse(cell) : p.cell(), or(layers, p.layers()), or(embed, p.embed()),
                or(hidden, p.hidden()), or(vocab, p.vocab()), or(batch, p.batch()), or(seq, p.seq()),
                or(steps, p.steps()), or(warmup, p.warmup()), threads != null ? threads.get(0) : p.threads(),
                or(genTokens, p.genTokens()), or(genWarmup, p.genWarmup()), p.lr(), seed != null ? seed : p.seed(), peak != null ? peak : 0);
        out.println(new ObjectMapper().writeValueAsString(CharLmBench.run(c, g, data)));
        out.flush();
        return Main.EXIT_OK;
    }

    private static int or(Integer v, int d) {
        return v != null ? v : d;
    }

    static void parseShape(String s, int[] shape, boolean[] trans) {
        String[] f = s.split(",");
        if (f.length != 3 && f.length != 5) throw new ConfigException("--gemm " + s + ": expected M,K,N or M,K,N,tA,tB");
        try {
            for (int i = 0; i < 3; i++) {
                shape[i] = Integer.parseInt(f[i].trim());
                if (shape[i] < 1) throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ConfigException("--gemm " + s + ": M, K, N must be positive integers");
        }
        for (int i = 0; i < 2 && f.length == 5; i++) {
            String x = f[3 + i].trim();
            if (!x.equals("n") && !x.equals("t")) throw new ConfigException("--gemm " + s + ": tA and tB are n or t");
            trans[i] = x.equals("t");
        }
    }
}
