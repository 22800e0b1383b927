package io.github.yuefu.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The checkpoints of one run directory: {@code RUN/checkpoints/ckpt-step001200-ppl123.45.safetensors} files and
 * {@code RUN/checkpoints/index.json}, which lists them with their step and validation perplexity and names the
 * {@code latest} (what a resume continues from) and the {@code best} (lowest validation perplexity, what
 * {@code --model RUN} loads). The index is rewritten atomically after each new checkpoint; files no longer among
 * the best k (or the latest) are deleted only after that, so a crash at any point leaves a consistent index.
 */
public final class CheckpointStore {
    public static final String RUN_MARKER = "run.json";
    public static final String INDEX = "index.json";

    /** One checkpoint: file name inside {@code checkpoints/}, step, validation perplexity. */
    public record Entry(String file, long step, double valPpl) {}

    private final Path runDir;
    private final Path dir;
    private final List<Entry> entries = new ArrayList<>();

    private CheckpointStore(Path runDir) {
        this.runDir = runDir;
        this.dir = runDir.resolve("checkpoints");
    }

    /** True when {@code dir} looks like a yuefu run directory (has {@code run.json}). */
    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(RUN_MARKER));
    }

    /** Opens an existing run directory; a directory that is not a run is a ConfigException. */
    public static CheckpointStore open(Path runDir) {
        if (!Files.isDirectory(runDir)) throw new ConfigException(runDir + ": no such run directory");
        if (!isRun(runDir)) {
            throw new ConfigException(runDir + ": not a yuefu run directory (no " + RUN_MARKER
                    + "); pass a model file or the --out directory of a yuefu train run");
        }
        CheckpointStore s = new CheckpointStore(runDir);
        s.readIndex();
        return s;
    }

    /** A store over a run directory being created (the caller writes run.json). */
    public static CheckpointStore create(Path runDir) {
        CheckpointStore s = new CheckpointStore(runDir);
        if (Files.isRegularFile(s.dir.resolve(INDEX))) s.readIndex();
        return s;
    }

    private void readIndex() {
        Path idx = dir.resolve(INDEX);
        if (!Files.isRegularFile(idx)) return;
        try {
            JsonNode root = SafeTensors.JSON.readTree(idx.toFile());
            for (JsonNode e : root.path("checkpoints")) {
                entries.add(new Entry(e.path("file").asText(), e.path("step").asLong(), e.path("val_ppl").asDouble(Double.NaN)));
            }
        } catch (IOException e) {
            throw new ConfigException(idx + ": unreadable checkpoint index (" + e.getMessage() + "); delete it to start the run afresh");
        }
    }

    public Path runDir() {
        return runDir;
    }

    public Path file(Entry e) {
        return dir.resolve(e.file());
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Most recent first: what a resume or a rollback tries, in order. */
    public List<Entry> byRecency() {
        List<Entry> l = new ArrayList<>(entries);
        l.sort(Comparator.comparingLong(Entry::step).reversed());
        return l;
    }

    /** Lowest validation perplexity first (ties: later step first): what --model RUN tries, in order. */
    public List<Entry> byQuality() {
        List<Entry> l = new ArrayList<>(entries);
        l.sort(Comparator.comparingDouble((Entry e) -> Double.isNaN(e.valPpl()) ? Double.MAX_VALUE : e.valPpl())
                .thenComparing(Comparator.comparingLong(Entry::step).reversed()));
        return l;
    }

    public static String fileName(long step, double valPpl) {
        return String.format(Locale.ROOT, "ckpt-step%06d-ppl%.2f.safetensors", step, valPpl);
    }

    /** Callback that writes one checkpoint file. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws IOException;
    }

    /**
     * Writes a checkpoint through {@code writer} (which must write atomically), records it in the index, then keeps
     * only the {@code keep} best by validation perplexity plus the latest. Returns the file written.
     */
    public Path save(long step, double valPpl, int keep, Writer writer) throws IOException {
        Files.createDirectories(dir);
        Entry e = new Entry(fileName(step, valPpl), step, valPpl);
        writer.write(dir.resolve(e.file()));
        entries.removeIf(x -> x.step() >= step); // a resumed run overwrites what came after its checkpoint
        entries.add(e);
        Set<Entry> kept = new HashSet<>(byQuality().subList(0, Math.min(Math.max(1, keep), entries.size())));
        kept.add(e);
        List<Entry> dropped = new ArrayList<>();
        for (Entry x : entries) if (!kept.contains(x)) dropped.add(x);
        entries.removeAll(dropped);
        writeIndex();
        for (Entry x : dropped) {
            if (!x.file().equals(e.file())) Files.deleteIfExists(dir.resolve(x.file()));
        }
        return dir.resolve(e.file());
    }

    /** Forgets checkpoints after {@code step} (a resume from an earlier one rewrites that history). */
    public void truncateAfter(long step) throws IOException {
        if (entries.removeIf(x -> x.step() > step)) writeIndex();
    }

    private void writeIndex() throws IOException {
        ObjectNode root = SafeTensors.JSON.createObjectNode();
        root.put("format", "yuefu-run-index");
        List<Entry> rec = byRecency(), qual = byQuality();
        root.put("latest", rec.isEmpty() ? null : rec.getFirst().file());
        root.put("best", qual.isEmpty() ? null : qual.getFirst().file());
        ArrayNode arr = root.putArray("checkpoints");
        for (Entry x : rec) {
            ObjectNode o = arr.addObject();
            o.put("file", x.file());
            o.put("step", x.step());
            o.put("val_ppl", x.valPpl());
        }
        AtomicFile.writeString(dir.resolve(INDEX), SafeTensors.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }

    /**
     * Loads the first candidate that loads: a damaged or missing one is reported through {@code warn} and the next
     * is tried. When none loads, the ConfigException says so and why the last one failed.
     */
    public <T> T loadFirstGood(List<Entry> candidates, Function<Path, T> loader, Consumer<String> warn) {
        if (candidates.isEmpty()) {
            throw new ConfigException(runDir + ": this run has no checkpoint yet (it stopped before its first --checkpoint-every)");
        }
        ConfigException last = null;
        for (Entry e : candidates) {
            try {
                return loader.apply(file(e));
            } catch (ConfigException ex) {
                last = ex;
                warn.accept("refused " + ex.getMessage() + "; trying the previous checkpoint");
            }
        }
        throw new ConfigException(runDir + ": no usable checkpoint (" + last.getMessage() + ")");
    }
}
