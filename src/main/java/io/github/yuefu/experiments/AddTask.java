package io.github.yuefu.experiments;

import io.github.yuefu.checkpoint.AtomicFile;
import io.github.yuefu.config.CellType;
import io.github.yuefu.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code yuefu add} does: train one adder per cell, print the comparison, save or ask as requested. */
public final class AddTask {
    private AddTask() {}

    /**
     * @param report where to write the Markdown tables too (null = print only)
     * @param save   where to save the trained adder (null = don't; needs exactly one cell)
     * @param eval   a sum to ask the freshly trained adder(s) (null = none)
     * @param plot   where to draw the length-generalisation curves (null = don't)
     */
    public record Request(List<CellType> cells, AddConfig base, Path report, Path save, String eval, Path plot) {
        public Request {
            if (cells.isEmpty()) throw new ConfigException("--cells needs at least one of rnn, lstm, gru");
            if (save != null && cells.size() != 1) {
                throw new ConfigException("--save keeps one adder: give a single cell with --cells (got " + cells.size() + ")");
            }
            if (eval != null) AdditionProblems.parse(eval, base.order()); // reject a malformed sum before training
        }
    }

    public static List<AddExperiment.Result> run(Request req, PrintWriter out) throws IOException {
        List<AddExperiment.Result> results = new ArrayList<>();
        for (CellType cell : req.cells()) {
            AddConfig cfg = req.base().withCell(cell);
            AddExperiment.Trained t = AddExperiment.train(cfg, out);
            results.add(AddExperiment.evaluate(t, cfg));
            if (req.save() != null) {
                AddModelFile.save(req.save(), t.adder(), cfg);
                out.println("saved " + req.save());
            }
            if (req.eval() != null) {
                out.println(cell.id() + ": " + req.eval().trim() + " = " + AddExperiment.answer(t.adder(), req.eval(), cfg.order()));
            }
        }
        String md = AddReport.markdown(results);
        out.println();
        out.print(md);
        out.flush();
        if (req.report() != null) AtomicFile.writeString(req.report(), md);
        if (req.plot() != null) out.println("curve " + AddReport.curvePng(results, req.plot()));
        return results;
    }

    /** The answer of a saved adder to one sum, e.g. "13023" for "12345+678". */
    public static String answer(Path model, String expr) {
        AddModelFile.Loaded m = AddModelFile.load(model);
        return AddExperiment.answer(m.adder(), expr, m.order());
    }
}
