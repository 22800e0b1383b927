package io.github.yuefu.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.yuefu.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors layout (Hugging Face), float32 only:
 * <pre>
 *   u64 little-endian  N                       header length in bytes
 *   N bytes            JSON header             {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]},
 *                                                …, "__metadata__": {string: string}}   padded with spaces to 8 bytes
 *   raw bytes          tensors                 little-endian float32, offsets relative to the end of the header
 * </pre>
 * so {@code safetensors.torch.load_file} (or twenty lines of Python) reads our files. We add a SHA-256 of the tensor
 * bytes to the metadata ({@code checksum}) and verify it on every read: a flipped bit is refused, not trained on.
 * Reading holds one copy of the file in memory; models here are megabytes, not gigabytes.
 */
public final class SafeTensors {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHECKSUM = "checksum";
    private static final long MAX_HEADER = 100L << 20;

    /** A float32 tensor: row-major data of the given shape. */
    public record Tensor(int[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (int d : shape) n *= d;
            if (n != data.length) throw new IllegalArgumentException("tensor shape does not match its data length");
        }
    }

    /** What a file holds: tensors in file order and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private SafeTensors() {}

    /** Writes atomically; adds {@code checksum} = "sha256:&lt;hex of the tensor bytes&gt;" to the metadata. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        long total = 0;
        for (Tensor t : tensors.values()) total += 4L * t.data().length;
        if (total > Integer.MAX_VALUE - 64) throw new IOException("tensors too large for one file: " + total + " bytes");
        ByteBuffer data = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        ObjectNode header = JSON.createObjectNode();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) throw new IllegalArgumentException("reserved tensor name");
            long begin = data.position();
            data.asFloatBuffer().put(e.getValue().data());
            data.position((int) (begin + 4L * e.getValue().data().length));
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) shape.add(d);
            t.putArray("data_offsets").add(begin).add(data.position());
        }
        data.flip();
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(CHECKSUM, "sha256:" + sha256(data.duplicate()));
        ObjectNode m = header.putObject("__metadata__");
        meta.forEach(m::put);
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        AtomicFile.write(file, head, data);
    }

    /**
     * Reads and validates a file. Every way it can be wrong — missing, truncated, not safetensors, a dtype other
     * than F32, offsets out of range, a checksum mismatch — is a {@link ConfigException} naming the file.
     */
    public static Contents read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) throw notOurs(file, "only " + bytes.length + " bytes");
        long n = buf.getLong(0);
        if (n < 2 || n > MAX_HEADER || n > bytes.length - 8) {
            throw notOurs(file, n > bytes.length - 8 && n <= MAX_HEADER
                    ? "header length " + n + " exceeds the file size " + bytes.length + " (truncated?)"
                    : "bad header length " + n);
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw notOurs(file, "header is not JSON");
        }
        if (header == null || !header.isObject()) throw notOurs(file, "header is not a JSON object");
        int dataStart = (int) (8 + n);
        int dataLen = bytes.length - dataStart;
        Map<String, String> meta = new LinkedHashMap<>();
        JsonNode m = header.get("__metadata__");
        if (m != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = m.fields(); it.hasNext(); ) {
                var e = it.next();
                meta.put(e.getKey(), e.getValue().asText());
            }
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long maxEnd = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode t = e.getValue();
            String dtype = t.path("dtype").asText("?");
            if (!dtype.equals("F32")) {
                throw new ConfigException(file + ": tensor '" + e.getKey() + "' has dtype " + dtype
                        + "; yuefu reads float32 (F32) only: convert with tensor.float() in PyTorch");
            }
            JsonNode shapeNode = t.path("shape"), off = t.path("data_offsets");
            if (!shapeNode.isArray() || !off.isArray() || off.size() != 2) throw notOurs(file, "tensor '" + e.getKey() + "' has no shape/offsets");
            int[] shape = new int[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asInt(-1);
                if (shape[i] < 0) throw notOurs(file, "tensor '" + e.getKey() + "' has a negative dimension");
                count *= shape[i];
            }
            long begin = off.get(0).asLong(-1), end = off.get(1).asLong(-1);
            if (begin < 0 || end < begin || end - begin != 4 * count) {
                throw notOurs(file, "tensor '" + e.getKey() + "' offsets do not match its shape");
            }
            if (end > dataLen) {
                throw new ConfigException(file + ": truncated: tensor '" + e.getKey() + "' ends at byte " + end
                        + " of the data but the file has only " + dataLen + "; use an earlier checkpoint");
            }
            maxEnd = Math.max(maxEnd, end);
            float[] data = new float[(int) count];
            ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(data);
            tensors.put(e.getKey(), new Tensor(shape, data));
        }
        String sum = meta.get(CHECKSUM);
        if (sum != null) {
            String actual = "sha256:" + sha256(ByteBuffer.wrap(bytes, dataStart, dataLen));
            if (!actual.equals(sum)) {
                throw new ConfigException(file + ": checksum mismatch (file says " + abbrev(sum) + ", data gives "
                        + abbrev(actual) + "): the file is damaged; use an earlier checkpoint");
            }
        }
        return new Contents(tensors, meta);
    }

    private static ConfigException notOurs(Path file, String why) {
        return new ConfigException(file + ": not a safetensors model file (" + why + ")");
    }

    private static String abbrev(String s) {
        return s.length() > 19 ? s.substring(0, 19) + "…" : s;
    }

    static String sha256(ByteBuffer b) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
