package io.github.yuefu.cli;

import io.github.yuefu.train.Inspection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yuefu inspect MODEL}: config, parameter counts, vocabulary, split and training history of a model or run. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print a model's config, parameter counts, vocabulary size and training history (a model file or a run directory).")
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", description = "model file or run directory")
    Path model;

    @Override
    public Integer call() throws Exception {
        Inspection.print(model, spec.commandLine().getOut());
        return Main.EXIT_OK;
    }
}
