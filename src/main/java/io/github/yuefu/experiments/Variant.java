package io.github.yuefu.experiments;

import io.github.yuefu.config.CellType;
import io.github.yuefu.config.InputKind;
import java.util.Locale;

/**
 * One point of a grid: the settings that differ between variants. Everything else (corpus, widths, batch,
 * optimizer, budget) is shared by the whole grid.
 */
public record Variant(CellType cell, InputKind input, int layers, int seq) {

    /** A file-name-safe id, e.g. {@code lstm-embedding-2l-seq64}. */
    public String id() {
        return String.format(Locale.ROOT, "%s-%s-%dl-seq%d", cell.id(), input.id(), layers, seq);
    }

    /** The id of one seeded run of this variant. */
    public String runId(long seed) {
        return id() + "-seed" + seed;
    }

    /** Short label for charts: only the axes that vary in the grid (passed as flags). */
    public String label(boolean cells, boolean inputs, boolean layerAxis, boolean seqAxis) {
        StringBuilder sb = new StringBuilder();
        if (cells) sb.append(cell.id().toUpperCase(Locale.ROOT));
        if (inputs) sb.append(sb.isEmpty() ? "" : " ").append(input == InputKind.ONEHOT ? "one-hot" : "embedding");
        if (layerAxis) sb.append(sb.isEmpty() ? "" : " ").append(layers).append(layers == 1 ? " layer" : " layers");
        if (seqAxis) sb.append(sb.isEmpty() ? "" : " ").append("T=").append(seq);
        return sb.isEmpty() ? id() : sb.toString();
    }
}
