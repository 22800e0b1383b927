package io.github.yuefu.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.checkpoint.AtomicFile;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code metrics.jsonl}: one JSON object per line, flushed as written so a killed run keeps what it logged.
 * Step records: {@code step, loss, grad_norm, lr, tokens_per_s}; evaluation records: {@code step, val_loss, val_ppl,
 * val_bpc}; health events: {@code step, event, …}. A resumed run first drops records after its checkpoint (they
 * will be logged again, identically), then appends.
 */
public final class MetricsLog implements Closeable {
    public static final String FILE = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final BufferedWriter out;

    public MetricsLog(Path runDir) throws IOException {
        this.out = Files.newBufferedWriter(runDir.resolve(FILE), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    public static ObjectNode record(long step) {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", step);
        return o;
    }

    public void write(ObjectNode o) {
        try {
            out.write(o.toString());
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void step(long step, double loss, double gradNorm, double lr, double tokensPerS) {
        ObjectNode o = record(step);
        o.put("loss", loss);
        o.put("grad_norm", gradNorm);
        o.put("lr", lr);
        o.put("tokens_per_s", Math.round(tokensPerS * 10) / 10.0);
        write(o);
    }

    public void eval(long step, Evaluator.Result r) {
        ObjectNode o = record(step);
        o.put("val_loss", r.loss());
        o.put("val_ppl", r.ppl());
        o.put("val_bpc", r.bpc());
        write(o);
    }

    /** Reads every record (a torn last line, from a kill mid-write, is skipped). */
    public static List<JsonNode> read(Path runDir) throws IOException {
        Path p = runDir.resolve(FILE);
        List<JsonNode> list = new ArrayList<>();
        if (!Files.exists(p)) return list;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            if (line.isBlank()) continue;
            try {
                list.add(JSON.readTree(line));
            } catch (IOException e) {
                // torn line
            }
        }
        return list;
    }

    /** Keeps only records with step &lt;= {@code step} (atomically), before a resume appends. */
    public static void truncateAfter(Path runDir, long step) throws IOException {
        Path p = runDir.resolve(FILE);
        if (!Files.exists(p)) return;
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : read(runDir)) {
            if (n.path("step").asLong() <= step) sb.append(n.toString()).append('\n');
        }
        AtomicFile.writeString(p, sb.toString());
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
