package io.github.yuefu.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web page: a fixed list of files read once from the classpath ({@code io/github/yuefu/server/web/}) into
 * memory. A request path is looked up in that list as a plain string, never resolved against a directory, so
 * no path a client sends ({@code ..}, {@code %2e%2e}, {@code //}, backslashes) can reach another file.
 */
final class StaticFiles {
    static final String ROOT = "/io/github/yuefu/server/web/";

    /** A file's bytes and its Content-Type. */
    record Asset(byte[] bytes, String contentType) {}

    private final Map<String, Asset> assets = new LinkedHashMap<>();

    StaticFiles() {
        add("index.html", "text/html; charset=utf-8");
        add("app.js", "text/javascript; charset=utf-8");
        add("style.css", "text/css; charset=utf-8");
        add("favicon.svg", "image/svg+xml");
    }

    private void add(String name, String type) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException("web resource missing from the jar: " + ROOT + name);
            assets.put("/" + name, new Asset(in.readAllBytes(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read web resource " + ROOT + name, e);
        }
    }

    /** The asset for a request path ("/" is the page), or null. */
    Asset find(String path) {
        if (path.equals("/") || path.equals("/index.html")) return assets.get("/index.html");
        return assets.get(path);
    }
}
