package io.github.yuefu;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates ../shared (corpora, PyTorch references) beside the repository. Tests that need it call
 * {@link #require(String)}, which skips the test with a clear message when the file is absent.
 * Override with -Dyuefu.shared=DIR.
 */
public final class SharedData {
    private SharedData() {}

    public static Path root() {
        String prop = System.getProperty("yuefu.shared");
        if (prop != null) return Path.of(prop);
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path candidate = d.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("reference")) || Files.isDirectory(candidate.resolve("data"))) {
                return candidate;
            }
        }
        return dir.resolveSibling("shared");
    }

    /** The file under ../shared, or the calling test is skipped saying which file is missing. */
    public static Path require(String relative) {
        Path p = root().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: " + p + " not found (../shared is absent on this machine)");
        return p;
    }
}
