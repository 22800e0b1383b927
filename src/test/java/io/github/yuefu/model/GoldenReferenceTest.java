package io.github.yuefu.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.SharedData;
import io.github.yuefu.kernel.Gemms;
import io.github.yuefu.kernel.Kernels;
import io.github.yuefu.kernel.ScalarGemm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden tests: every PyTorch case in ../shared/reference/*.json must match — loss and log-probs to 1e-5
 * relative, gradients and final states to 1e-4 relative (1e-6 absolute) — with the scalar kernels (SIMD off),
 * the preferred Vector API kernels, the reference GEMM and the best GEMM. Prints the max difference per tensor.
 */
class GoldenReferenceTest {

    static List<Path> cases() throws IOException {
        Path dir = SharedData.require("reference");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
        }
        assertFalse(files.isEmpty(), "no *.json in " + dir);
        return files;
    }

    @TestFactory
    Stream<DynamicTest> everyReferenceCaseMatchesPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : cases()) {
            for (String kernels : List.of("scalar", "vector")) {
                for (String gemm : List.of("scalar", "best")) {
                    tests.add(DynamicTest.dynamicTest(file.getFileName() + " " + kernels + "/" + gemm, () -> {
                        ReferenceCase c = ReferenceCase.load(file);
                        var g = gemm.equals("scalar") ? new ScalarGemm() : Gemms.best();
                        ReferenceCheck.Result r = ReferenceCheck.run(c, g, Kernels.forName(kernels));
                        StringBuilder report = new StringBuilder(file.getFileName() + " [" + kernels + "/" + g.name() + "]\n");
                        for (ReferenceCheck.TensorResult t : r.tensors()) report.append("  ").append(t.line()).append('\n');
                        System.out.print(report);
                        assertTrue(r.pass(), report::toString);
                    }));
                }
            }
        }
        return tests.stream();
    }
}
