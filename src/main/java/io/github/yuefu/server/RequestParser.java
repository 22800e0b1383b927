package io.github.yuefu.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * Turns what a client sent (a JSON object, or URL query parameters for the stream endpoint) into a
 * {@link GenerateRequest}, checking every field against its type and the {@link ServerLimits}. Each refusal is a
 * 400 whose message starts with the field's name. Unknown fields are refused too: a typo such as "topk" would
 * otherwise be silently ignored.
 */
public final class RequestParser {

    /** The fields the API accepts, in the order the docs list them. */
    public static final List<String> FIELDS = List.of("model", "start", "prefix", "acrostic", "form", "rhyme", "tones",
            "temperature", "top_k", "top_p", "beam", "count", "seed", "max_length");

    static final double DEFAULT_TEMPERATURE = 0.8;
    /** Longest acrostic: one head per clause of the longest form (律诗, 8 clauses). */
    static final int MAX_ACROSTIC = 8;

    private final ServerLimits limits;
    private final Set<String> models;
    private final String defaultModel;

    /** @param models the names the server offers; the first is the default when a request names none */
    public RequestParser(ServerLimits limits, List<String> models) {
        if (models.isEmpty()) throw new IllegalArgumentException("no models");
        this.limits = limits;
        this.models = Set.copyOf(models);
        this.defaultModel = models.getFirst();
    }

    /** From a POST body (UTF-8 JSON; must be one object). */
    public GenerateRequest fromJson(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RequestException(400, "body", "body: not valid JSON (" + shortMessage(e) + ")");
        } catch (java.io.IOException e) {
            throw new RequestException(400, "body", "body: unreadable (" + e.getMessage() + ")");
        }
        if (root == null || root.isMissingNode()) throw new RequestException(400, "body", "body: empty; send a JSON object such as {\"start\":\"月\",\"form\":\"wujue\"}");
        if (!root.isObject()) throw new RequestException(400, "body", "body: expected a JSON object, got " + root.getNodeType().name().toLowerCase());
        return parse((ObjectNode) root);
    }

    /** From a raw URL query ({@code a=1&b=x}, percent-encoded UTF-8); every value arrives as text. */
    public GenerateRequest fromQuery(String rawQuery) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), "query");
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), name);
                if (node.has(name)) throw RequestException.badField(name, "given twice");
                node.put(name, value);
            }
        }
        return parse(node);
    }

    private static String decode(String s, String field) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw RequestException.badField(field, "bad percent-encoding");
        }
    }

    private GenerateRequest parse(ObjectNode o) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!FIELDS.contains(name)) {
                throw new RequestException(400, clip(name), "unknown field '" + clip(name) + "'; known fields: " + String.join(", ", FIELDS));
            }
        }
        String model = text(o, "model", 200);
        if (model == null) model = defaultModel;
        else if (!models.contains(model)) {
            throw RequestException.badField("model", "no model named '" + clip(model) + "'; this server offers " + String.join(", ", models.stream().sorted().toList()));
        }

        String start = text(o, "start", 8);
        if (start != null && (start.codePointCount(0, start.length()) != 1 || Character.isWhitespace(start.codePointAt(0)))) {
            throw RequestException.badField("start", "must be exactly one character, got '" + clip(start) + "'");
        }
        String prefix = text(o, "prefix", limits.maxPromptChars() * 4);
        if (prefix != null && prefix.codePointCount(0, prefix.length()) > limits.maxPromptChars()) {
            throw RequestException.badField("prefix", "longer than " + limits.maxPromptChars() + " characters");
        }
        String acrostic = text(o, "acrostic", MAX_ACROSTIC * 4);
        if (acrostic != null) {
            acrostic = acrostic.strip();
            int n = acrostic.codePointCount(0, acrostic.length());
            if (n > MAX_ACROSTIC) throw RequestException.badField("acrostic", "at most " + MAX_ACROSTIC + " characters (one per clause), got " + n);
            if (acrostic.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || !Character.isLetter(cp))) {
                throw RequestException.badField("acrostic", "only characters, no spaces or punctuation");
            }
        }
        int starts = (start != null ? 1 : 0) + (prefix != null ? 1 : 0) + (acrostic != null ? 1 : 0);
        if (starts > 1) {
            String which = acrostic != null ? "acrostic" : "prefix";   // the second of the three, in field order
            throw RequestException.badField(which, "give only one of start, prefix and acrostic");
        }

        String form = text(o, "form", 20);
        if (form != null && (form.equals("free") || form.equals("none"))) form = null;
        if (form != null && !GenerateRequest.FORMS.contains(form)) {
            throw RequestException.badField("form", "must be one of " + String.join(", ", GenerateRequest.FORMS) + " or free, got '" + clip(form) + "'");
        }
        if (form != null && acrostic != null) {
            int n = acrostic.codePointCount(0, acrostic.length());
            if (n > GenerateRequest.clauses(form)) {
                throw RequestException.badField("acrostic", n + " characters but " + form + " has only " + GenerateRequest.clauses(form) + " clauses");
            }
        }
        boolean rhyme = bool(o, "rhyme", false);
        String tones = tones(o);

        double temperature = number(o, "temperature", DEFAULT_TEMPERATURE, t -> t >= 0 && t <= 5, "must be 0..5 (0 = greedy)");
        int topK = integer(o, "top_k", 0, 0, 100_000, "0 (off) .. 100000");
        double topP = number(o, "top_p", 1.0, p -> p > 0 && p <= 1, "must be in (0, 1] (1 = off)");
        int beam = integer(o, "beam", 1, 1, limits.maxBeam(), "1 (sampling) .. " + limits.maxBeam());
        int count = integer(o, "count", 1, 1, limits.maxCount(), "1.." + limits.maxCount());
        int maxLength = integer(o, "max_length", Math.min(128, limits.maxLength()), 1, limits.maxLength(), "1.." + limits.maxLength());
        long seed = o.hasNonNull("seed") ? seed(o.get("seed")) : ThreadLocalRandom.current().nextLong(1L << 53);

        if (beam > 1 && (topP < 1 || topK > 0)) {
            throw RequestException.badField("beam", "beam search keeps the most likely poems; it does not sample, so drop top_k/top_p or use beam 1");
        }
        if (beam > 1 && count > beam) {
            throw RequestException.badField("count", "a beam of " + beam + " yields at most " + beam + " poems");
        }
        return new GenerateRequest(model, start, prefix, acrostic, form, rhyme, tones, temperature, topK, topP, beam,
                count, seed, maxLength);
    }

    // ---- typed field readers: each accepts a JSON value of its type, or text that parses (query parameters)

    private static String text(ObjectNode o, String field, int maxChars) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) throw RequestException.badField(field, "expected a string");
        String s = n.textValue();
        if (s.isEmpty()) return null;
        if (s.length() > maxChars) throw RequestException.badField(field, "too long (at most " + maxChars + " characters)");
        return s;
    }

    private static boolean bool(ObjectNode o, String field, boolean dflt) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) return dflt;
        if (n.isBoolean()) return n.booleanValue();
        if (n.isTextual()) {
            switch (n.textValue()) {
                case "true", "1", "on", "yes" -> { return true; }
                case "false", "0", "off", "no", "" -> { return false; }
                default -> { }
            }
        }
        throw RequestException.badField(field, "expected true or false");
    }

    private static String tones(ObjectNode o) {
        JsonNode n = o.get("tones");
        if (n == null || n.isNull()) return "off";
        if (n.isBoolean()) return n.booleanValue() ? "soft" : "off";
        if (n.isTextual()) {
            String s = n.textValue();
            if (s.isEmpty() || s.equals("false")) return "off";
            if (s.equals("true")) return "soft";
            if (GenerateRequest.TONES.contains(s)) return s;
        }
        throw RequestException.badField("tones", "must be one of off, soft, hard (or true/false)");
    }

    private static double number(ObjectNode o, String field, double dflt, Predicate<Double> ok, String allowed) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.textValue().isEmpty())) return dflt;
        double v;
        if (n.isNumber()) v = n.doubleValue();
        else if (n.isTextual()) {
            try {
                v = Double.parseDouble(n.textValue());
            } catch (NumberFormatException e) {
                throw RequestException.badField(field, "expected a number, got '" + clip(n.textValue()) + "'");
            }
        } else throw RequestException.badField(field, "expected a number");
        if (!Double.isFinite(v) || !ok.test(v)) throw RequestException.badField(field, allowed + ", got " + v);
        return v;
    }

    private static int integer(ObjectNode o, String field, int dflt, int min, int max, String allowed) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull() || (n.isTextual() && n.textValue().isEmpty())) return dflt;
        long v;
        if (n.isIntegralNumber() && n.canConvertToLong()) v = n.longValue();
        else if (n.isTextual()) {
            try {
                v = Long.parseLong(n.textValue().strip());
            } catch (NumberFormatException e) {
                throw RequestException.badField(field, "expected an integer, got '" + clip(n.textValue()) + "'");
            }
        } else throw RequestException.badField(field, "expected an integer");
        if (v < min || v > max) throw RequestException.badField(field, "must be " + allowed + ", got " + v);
        return (int) v;
    }

    private static long seed(JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) return n.longValue();
        if (n.isTextual()) {
            try {
                return Long.parseLong(n.textValue().strip());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw RequestException.badField("seed", "expected a 64-bit integer");
    }

    /** At most 40 characters of client input go back into a message. */
    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        var loc = e.getLocation();
        if (m == null) m = "syntax error";
        if (m.length() > 120) m = m.substring(0, 120) + "…";
        return loc == null ? m : m + " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }
}
