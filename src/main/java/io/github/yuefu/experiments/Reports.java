package io.github.yuefu.experiments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** TEMPORARY until checkpoint.AtomicFile lands. */
final class Reports {
    private Reports() {}

    static void writeAtomically(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
