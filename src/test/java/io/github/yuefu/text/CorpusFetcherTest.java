package io.github.yuefu.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.yuefu.config.ConfigException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code yuefu corpus fetch} without the network: npm missing, and a fake npm on a PATH given to the fetcher. */
class CorpusFetcherTest {
    @TempDir
    Path dir;

    @Test
    void missingNpmSaysWhatToDo() throws Exception {
        Path emptyBin = Files.createDirectory(dir.resolve("bin"));
        CorpusFetcher f = new CorpusFetcher(emptyBin.toString(), CorpusFetcher.SHA256);
        assertTrue(f.findNpm().isEmpty());
        ConfigException e = assertThrows(ConfigException.class, () -> f.fetch(dir.resolve("cache"), new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("npm is not installed") && e.getMessage().contains(CorpusFetcher.URL), e.getMessage());
    }

    @Test
    void runsNpmPackInTheCacheAndChecksTheDigest() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path npm = bin.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\nprintf 'fake tarball' > chinese-poetry-2.0.1.tgz\necho packed \"$@\"\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        String digest = "8e2c7d1b0b6b1d6e6bdf8a8ae6b9b4c1fd7c3a5b8e0ffd3e0c58b4e2de5c1a11";   // not the fake's digest
        StringWriter log = new StringWriter();
        Path cache = dir.resolve("cache");
        ConfigException e = assertThrows(ConfigException.class, () -> new CorpusFetcher(bin.toString(), digest).fetch(cache, new PrintWriter(log)));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(log.toString().contains("packed pack chinese-poetry@2.0.1"), log.toString());
        String real = CorpusFetcher.sha256(cache.resolve(CorpusFetcher.TARBALL));
        Path got = new CorpusFetcher(bin.toString(), real).fetch(cache, new PrintWriter(log));
        assertEquals(cache.resolve(CorpusFetcher.TARBALL), got);
        assertTrue(log.toString().contains("already fetched"));
    }

    @Test
    void failingNpmIsAClearError() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path npm = bin.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\necho 'npm error network' >&2\nexit 1\n");
        Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> new CorpusFetcher(bin.toString(), CorpusFetcher.SHA256).fetch(dir.resolve("c"), new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("failed (exit 1)"), e.getMessage());
    }
}
