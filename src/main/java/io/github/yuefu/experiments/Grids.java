package io.github.yuefu.experiments;

import io.github.yuefu.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** What {@code yuefu compare} and {@code yuefu sweep} do: run (or continue) the grid, then write its report. */
public final class Grids {
    private Grids() {}

    /** Runs every run of the grid in {@code out} (continuing an interrupted one), writes the report, prints the table. */
    public static List<RunResult> run(Path out, GridSpec spec, boolean sweep, PrintWriter log) throws IOException {
        long t0 = System.nanoTime();
        GridRunner runner = new GridRunner(out, spec, log);
        List<RunResult> results = runner.run();
        long t1 = System.nanoTime();
        String table = GridReport.write(out, spec, results, sweep);
        log.println();
        log.print(table);
        log.println();
        log.println("wrote " + out.resolve("results.md") + ", results.csv, samples.md, curves.png, perplexity.png"
                + (sweep ? ", sweep.png" : "") + String.format(java.util.Locale.ROOT, " (runs %s, report %s)",
                GridTables.duration((t1 - t0) * 1e-9), GridTables.duration((System.nanoTime() - t1) * 1e-9)));
        log.flush();
        if (!runner.failed().isEmpty()) {
            throw new ConfigException(runner.failed().size() + " run(s) failed (" + String.join(", ", runner.failed())
                    + "); the report covers the others. Run the same command again to retry them.");
        }
        return results;
    }
}
