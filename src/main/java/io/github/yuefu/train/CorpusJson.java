package io.github.yuefu.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.config.ConfigException;
import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON for the corpus settings and the split spec saved with a run and in model files (run.json, metadata), so a
 * resume re-reads exactly the same documents and evaluation can recreate the validation split.
 */
public final class CorpusJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CorpusJson() {}

    public static ObjectNode toJson(CorpusConfig c) {
        ObjectNode o = JSON.createObjectNode();
        var paths = o.putArray("paths");
        for (Path p : c.paths()) paths.add(p.toAbsolutePath().normalize().toString());
        o.put("format", c.format().name());
        o.put("collection", c.collection());
        o.put("unit", c.unit().name());
        o.put("encoding", c.encoding().name());
        if (c.minLength() != null) o.put("min_length", c.minLength());
        if (c.maxLength() != null) o.put("max_length", c.maxLength());
        o.put("marks", c.marks().name());
        if (c.removeWhitespace() != null) o.put("remove_whitespace", c.removeWhitespace());
        var forms = o.putArray("forms");
        for (CorpusConfig.Form f : c.forms()) forms.add(f.name());
        o.put("simplify", c.simplify());
        o.put("tokenizer", c.tokenizer().name().toLowerCase(Locale.ROOT));
        o.put("max_vocab", c.maxVocab());
        o.put("min_count", c.minCount());
        return o;
    }

    public static CorpusConfig fromJson(JsonNode o) {
        try {
            List<Path> paths = new ArrayList<>();
            for (JsonNode p : o.path("paths")) paths.add(Path.of(p.asText()));
            Set<CorpusConfig.Form> forms = EnumSet.noneOf(CorpusConfig.Form.class);
            for (JsonNode f : o.path("forms")) forms.add(CorpusConfig.Form.valueOf(f.asText()));
            return new CorpusConfig(paths, CorpusConfig.Format.valueOf(o.path("format").asText("AUTO")),
                    o.path("collection").asText("tang"), CorpusConfig.Unit.valueOf(o.path("unit").asText("STREAM")),
                    CorpusConfig.charset(o.path("encoding").asText("UTF-8")),
                    o.has("min_length") ? o.get("min_length").asInt() : null,
                    o.has("max_length") ? o.get("max_length").asInt() : null,
                    CorpusConfig.Marks.valueOf(o.path("marks").asText("AUTO")),
                    o.has("remove_whitespace") ? o.get("remove_whitespace").asBoolean() : null, forms,
                    o.path("simplify").asBoolean(),
                    CorpusConfig.TokenizerKind.valueOf(o.path("tokenizer").asText("char").toUpperCase(Locale.ROOT)),
                    o.path("max_vocab").asInt(Integer.MAX_VALUE), o.path("min_count").asInt(1));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad corpus settings in the run: " + e.getMessage());
        }
    }

    public static String splitJson(Split.Spec s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("by", "document");
        o.put("seed", s.seed());
        o.put("val_fraction", s.fraction());
        o.put("documents", s.documents());
        o.put("checksum", Long.toHexString(s.checksum()));
        return o.toString();
    }

    /** The split spec from a model file's {@code split} metadata, or null when absent. */
    public static Split.Spec splitSpec(JsonNode o) {
        if (o == null || !o.has("seed")) return null;
        return new Split.Spec(o.path("seed").asLong(), o.path("val_fraction").asDouble(), o.path("documents").asInt(),
                Long.parseUnsignedLong(o.path("checksum").asText("0"), 16));
    }
}
