package io.github.yuefu.text;

import io.github.yuefu.config.ConfigException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** Writes a cleaned corpus as UTF-8 lines (one document each), atomically: temp file, fsync, rename. */
public final class CorpusWriter {
    private CorpusWriter() {}

    /** @param titles write {@code title:content} (poems.txt format) instead of the content alone */
    public static void write(LoadedCorpus corpus, Path output, boolean titles) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < corpus.documents().size(); i++) {
            String d = corpus.documents().get(i);
            if (d.indexOf('\n') >= 0) {
                throw new ConfigException("document " + (i + 1) + " spans several lines, and the cleaned file has one document per line; "
                        + "read the text with --unit line");
            }
            if (titles) sb.append(corpus.titles().get(i).replace(':', '：').replace('\n', ' ')).append(':');
            sb.append(d).append('\n');
        }
        writeAtomically(output, sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomically(Path output, byte[] bytes) {
        Path abs = output.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new ConfigException("cannot write " + output + " (" + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temp file is hidden and named after the output
                }
            }
        }
    }
}
