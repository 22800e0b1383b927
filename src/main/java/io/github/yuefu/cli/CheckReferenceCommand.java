package io.github.yuefu.cli;

import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.model.ReferenceCase;
import io.github.yuefu.model.ReferenceCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code yuefu check-reference FILE.json…}: runs PyTorch reference cases through the engine and compares. */
@Command(name = "check-reference", mixinStandardHelpOptions = true,
        description = {"Check the engine against PyTorch reference cases (format: ../shared/reference/README.md).",
                "Runs forward and backward on each case and prints the max abs/rel error per tensor"
                        + " (rel = |got - want| / max(|want|, abs/rel): below that the absolute tolerance applies).",
                "Exit 0 when every tensor is within tolerance (loss, log-probs 1e-5 rel; gradients, final state 1e-4 rel;"
                        + " or 1e-6 abs), 1 when some is not, 2 when a file is unreadable or malformed."})
public final class CheckReferenceCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE.json", description = "Reference case files.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--gemm", defaultValue = "best", showDefaultValue = Visibility.ALWAYS,
            description = "Matrix multiply: scalar or best.")
    String gemm;

    @Option(names = "--kernels", defaultValue = "vector", showDefaultValue = Visibility.ALWAYS,
            description = "Elementwise kernels: scalar (SIMD off), vector, vector-64/128/256/512.")
    String kernels;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        // Load (and validate) every file first: a malformed file is a usage error (exit 2) before any work.
        List<ReferenceCase> cases = new ArrayList<>();
        for (Path f : files) cases.add(ReferenceCase.load(f));
        var g = Gemms.forName(gemm);
        var k = Kernels.forName(kernels);
        int failed = 0;
        for (ReferenceCase c : cases) {
            ReferenceCheck.Result r = ReferenceCheck.run(c, g, k);
            out.println(c.file() + " (" + c.name() + ", " + c.config().cell().id() + " " + c.config().layers() + " layer(s), "
                    + c.config().input().id() + ", B=" + c.batch() + " T=" + c.time() + ", engine " + g.name() + "/" + k.name() + ")");
            for (ReferenceCheck.TensorResult t : r.tensors()) out.println("  " + t.line());
            out.println("  " + (r.pass() ? "PASS" : "FAIL"));
            if (!r.pass()) failed++;
        }
        out.println(failed == 0 ? "all " + cases.size() + " case(s) PASS" : failed + " of " + cases.size() + " case(s) FAIL");
        out.flush();
        return failed == 0 ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }
}
