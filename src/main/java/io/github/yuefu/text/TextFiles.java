package io.github.yuefu.text;

import io.github.yuefu.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a whole text file into one {@link String}: strict decoding (malformed bytes are an error naming the line and
 * byte offset, never silently replaced), a UTF-8 BOM dropped, CRLF and lone CR turned into LF, binary files refused.
 *
 * <p>Whole-file reading is deliberate: the largest real corpus (poems.txt, 12 MB) decodes in ~30 ms this way, far
 * faster than a line reader, and the peak is about three times the file size (bytes + chars + string), so files are
 * capped at {@link #MAX_BYTES}. A 50 MB single line costs ~150 MB transiently and no quadratic work.
 */
public final class TextFiles {
    /** Larger files are refused: a String cannot hold more than 2^31 chars and training text that big needs streaming. */
    public static final long MAX_BYTES = 1L << 30;
    private static final int BINARY_SNIFF = 64 * 1024;

    private TextFiles() {}

    /** The file's text, decoded with {@code charset}, LF line ends, no BOM. */
    public static String read(Path file, Charset charset) {
        return decode(readBytes(file), file.toString(), charset);
    }

    /** The raw bytes of a corpus file, with the size and emptiness checks. */
    public static byte[] readBytes(Path file) {
        try {
            if (!Files.exists(file)) throw new ConfigException(file + ": no such file");
            if (Files.isDirectory(file)) throw new ConfigException(file + " is a directory; pass a file, or --format json for a directory of chinese-poetry JSON");
            long size = Files.size(file);
            if (size == 0) throw new ConfigException(file + " is empty; pass a corpus with some text in it");
            if (size > MAX_BYTES) throw new ConfigException(file + " is " + size / (1 << 20) + " MiB; corpora above 1 GiB are not supported, split it into several files");
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes bytes that came from {@code name} (a file, or an entry inside a tarball). */
    public static String decode(byte[] bytes, String name, Charset charset) {
        if (isAsciiCompatible(charset)) refuseBinary(bytes, name);
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, (long) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 16));
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) r = decoder.flush(out);
        if (r.isError()) throw malformed(bytes, in.position(), r.length(), name, charset);
        if (r.isOverflow()) throw new IllegalStateException("decoder overflow on " + name); // cannot happen: out sized by maxCharsPerByte
        int start = out.position() > 0 && out.get(0) == '\uFEFF' ? 1 : 0;
        String text = new String(out.array(), start, out.position() - start);
        return normalizeLineEnds(text);
    }

    static String normalizeLineEnds(String text) {
        if (text.indexOf('\r') < 0) return text;
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static boolean isAsciiCompatible(Charset cs) {
        String n = cs.name().toUpperCase(java.util.Locale.ROOT);
        return !(n.startsWith("UTF-16") || n.startsWith("UTF-32") || n.startsWith("X-UTF-16") || n.startsWith("X-UTF-32"));
    }

    private static void refuseBinary(byte[] bytes, String name) {
        int n = Math.min(bytes.length, BINARY_SNIFF);
        for (int i = 0; i < n; i++) {
            if (bytes[i] == 0) {
                throw new ConfigException(name + " looks like a binary file (NUL byte at offset " + i
                        + "); pass a text corpus, or --encoding UTF-16 if it is UTF-16 text");
            }
        }
    }

    private static ConfigException malformed(byte[] bytes, int offset, int length, String name, Charset charset) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        StringBuilder hex = new StringBuilder();
        for (int i = offset; i < Math.min(bytes.length, offset + Math.max(1, Math.min(length, 4))); i++) {
            if (!hex.isEmpty()) hex.append(' ');
            hex.append(String.format("0x%02X", bytes[i] & 0xff));
        }
        String hint = charset.equals(StandardCharsets.UTF_8)
                ? "pass --encoding with the file's real charset (GBK or GB18030 for most Chinese novels, Big5 for traditional)"
                : "check --encoding (the file may use another charset, or mix several)";
        return new ConfigException(name + ": line " + line + ", byte offset " + offset + " (column byte " + (offset - lineStart + 1)
                + "): bytes " + hex + " are not valid " + charset.name() + "; " + hint);
    }
}
