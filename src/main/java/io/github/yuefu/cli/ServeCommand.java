package io.github.yuefu.cli;

import io.github.yuefu.server.GeneratorPoemService;
import io.github.yuefu.server.PoemServer;
import io.github.yuefu.server.ServerLimits;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yuefu serve}: the models behind a small HTTP API and web page; the work is in {@code server}. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Serve models over HTTP: a web page and a JSON API for writing poems.",
        description = {"Serve models over HTTP: a web page to write poems, and a JSON API (POST /api/generate,",
                "GET /api/generate/stream (Server-Sent Events), GET /api/models, GET /health).",
                "Binds 127.0.0.1 unless --host says otherwise.",
                "Example:  yuefu serve --model tang=runs/tang --model runs/song.safetensors --port 8080"})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "[NAME=]PATH",
            description = "model file or training run directory; repeat for several (the first is the default)")
    List<String> models;

    @Option(names = "--host", defaultValue = "127.0.0.1", showDefaultValue = Visibility.ALWAYS,
            description = "address to bind; 0.0.0.0 opens the server to the network deliberately")
    String host;

    @Option(names = "--port", defaultValue = "8080", showDefaultValue = Visibility.ALWAYS, description = "TCP port; 0 = any free port")
    int port;

    @Option(names = "--max-concurrent", paramLabel = "N", description = "poems written at once (default: the number of cores)")
    Integer maxConcurrent;

    @Option(names = "--max-queue", paramLabel = "N", description = "requests waiting for a writer before 429 (default: 8 × max-concurrent)")
    Integer maxQueue;

    @Option(names = "--timeout-s", defaultValue = "30", showDefaultValue = Visibility.ALWAYS, description = "per-request time limit, seconds (503 beyond)")
    double timeoutS;

    @Option(names = "--max-body", defaultValue = "16384", showDefaultValue = Visibility.ALWAYS, description = "largest request body, bytes (413 beyond)")
    int maxBody;

    @Option(names = "--max-prompt", defaultValue = "64", showDefaultValue = Visibility.ALWAYS, description = "longest prefix, characters")
    int maxPrompt;

    @Option(names = "--max-count", defaultValue = "16", showDefaultValue = Visibility.ALWAYS, description = "most poems per request")
    int maxCount;

    @Option(names = "--max-length", defaultValue = "256", showDefaultValue = Visibility.ALWAYS, description = "most characters per poem")
    int maxLength;

    @Option(names = "--max-beam", defaultValue = "8", showDefaultValue = Visibility.ALWAYS, description = "widest beam")
    int maxBeam;

    @Option(names = "--quiet", description = "no line per written poem on stderr")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        ServerLimits d = ServerLimits.defaults();
        int concurrent = maxConcurrent != null ? maxConcurrent : d.maxConcurrent();
        ServerLimits limits = new ServerLimits(maxBody, maxPrompt, maxCount, maxLength, maxBeam, concurrent,
                maxQueue != null ? maxQueue : 8 * concurrent, Duration.ofMillis(Math.round(timeoutS * 1000)));
        GeneratorPoemService service = GeneratorPoemService.load(models.stream().map(GeneratorPoemService.ModelSpec::parse).toList());
        PrintWriter out = spec.commandLine().getOut();
        try (PoemServer server = PoemServer.start(service, host, port, limits, quiet ? null : System.err)) {
            out.println("yuefu: serving " + String.join(", ", service.models().stream().map(m -> m.name()).toList())
                    + " at " + server.url() + "  (Ctrl-C stops)");
            out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(stop::countDown, "yuefu-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } catch (InterruptedException e) {
                Runtime.getRuntime().removeShutdownHook(hook);   // stopped by a caller (tests), not by the JVM ending
            }
        }
        return Main.EXIT_OK;
    }
}
