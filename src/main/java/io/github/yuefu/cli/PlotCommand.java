package io.github.yuefu.cli;

import io.github.yuefu.plot.MetricsPlot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yuefu plot RUN_DIR}: loss and perplexity curves from metrics.jsonl to a PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw a run's training loss, validation loss and validation perplexity curves to a PNG.")
public final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "RUN_DIR", description = "a run directory (the --out of yuefu train)")
    Path run;

    @Option(names = "--out", paramLabel = "PNG", description = "where to write (default: RUN_DIR/curves.png)")
    Path png;

    @Override
    public Integer call() throws Exception {
        Path p = MetricsPlot.render(run, png != null ? png : run.resolve(MetricsPlot.FILE));
        spec.commandLine().getOut().println(p);
        spec.commandLine().getOut().flush();
        return Main.EXIT_OK;
    }
}
