package io.github.yuefu.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.yuefu.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code yuefu serve}: the JDK's built-in HTTP server in front of a {@link PoemService}.
 *
 * <pre>
 *   GET  /                      the page (and /app.js, /style.css, /favicon.svg), from the classpath only
 *   GET  /health                liveness and counters
 *   GET  /api/models            the models, their configs, the forms and the limits
 *   POST /api/generate          JSON request → {"model","seed","poems":[{text,logprob,perplexity,report}],"elapsed_ms"}
 *   GET  /api/generate/stream   same fields as query parameters → Server-Sent Events (see {@link SseSink})
 * </pre>
 *
 * Two pools: HTTP exchanges run on a fixed pool sized to hold every admitted generation plus a few cheap
 * requests; generations run on {@code maxConcurrent} threads with a queue of {@code maxQueue}. A generation the
 * queue cannot take is refused at once (429, Retry-After), and one that outlives its deadline is cancelled (503),
 * so the server's threads and memory stay bounded whatever clients do. Errors are JSON {"error","field","status"}.
 */
public final class PoemServer implements AutoCloseable {
    static {
        // The JDK server reads these once, when its config class loads, so they are set before the first server.
        // nodelay: without it Nagle's algorithm holds back the small SSE chunks and characters arrive in clumps.
        // maxReqTime: a client that never finishes sending its request (slowloris, or a body it declared but
        // does not send) has its connection closed, which frees the thread reading it.
        // maxRspTime: likewise for a client that stops reading; longer than the longest allowed request timeout.
        setDefault("sun.net.httpserver.nodelay", "true");
        setDefault("sun.net.httpserver.maxReqTime", "30");
        setDefault("sun.net.httpserver.maxRspTime", Long.toString(ServerLimits.MAX_TIMEOUT.toSeconds() + 60));
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }

    private static final int RETRY_AFTER_S = 1;
    /** Cheap requests (page, health, models) that can run beside a full generation pool. */
    private static final int SPARE_HTTP_THREADS = 8;

    private final PoemService service;
    private final ServerLimits limits;
    private final RequestParser parser;
    private final StaticFiles files = new StaticFiles();
    private final HttpServer http;
    private final ThreadPoolExecutor httpPool;
    private final ThreadPoolExecutor genPool;
    private final PrintStream log;     // one line per generation, or null
    private final boolean loopbackOnly; // bound to a loopback address: answer loopback Host names only
    private final long startNanos = System.nanoTime();

    private final AtomicLong served = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private PoemServer(PoemService service, String host, int port, ServerLimits limits, PrintStream log) throws IOException {
        this.service = service;
        this.limits = limits;
        this.log = log;
        List<String> names = service.models().stream().map(ModelInfo::name).toList();
        this.parser = new RequestParser(limits, names);

        BlockingQueue<Runnable> genQueue = limits.maxQueue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(limits.maxQueue());
        genPool = new ThreadPoolExecutor(limits.maxConcurrent(), limits.maxConcurrent(), 0, TimeUnit.SECONDS, genQueue,
                daemonThreads("yuefu-generate-"), new ThreadPoolExecutor.AbortPolicy());
        genPool.prestartAllCoreThreads();   // a SynchronousQueue hands over only to a thread already waiting

        int httpThreads = Math.min(1024, limits.maxConcurrent() + limits.maxQueue() + SPARE_HTTP_THREADS);
        // A full HTTP queue makes the accepting thread run the exchange itself: back-pressure on accept, no drop.
        httpPool = new ThreadPoolExecutor(httpThreads, httpThreads, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4096),
                daemonThreads("yuefu-http-"), new ThreadPoolExecutor.CallerRunsPolicy());

        InetSocketAddress address = new InetSocketAddress(host, port);
        loopbackOnly = !address.isUnresolved() && address.getAddress().isLoopbackAddress();
        try {
            if (address.isUnresolved()) throw new ConfigException("--host " + host + ": unknown host name");
            http = HttpServer.create(address, 256);
        } catch (IOException | RuntimeException e) {
            genPool.shutdownNow();
            httpPool.shutdownNow();
            if (e instanceof java.net.BindException) throw new ConfigException("cannot listen on " + host + ":" + port + ": " + e.getMessage() + "; choose another --port");
            throw e;
        }
        http.setExecutor(httpPool);
        http.createContext("/", guarded(this::page));
        http.createContext("/health", guarded(this::health));
        http.createContext("/api/", guarded(ex -> { throw new RequestException(404, null, "no such endpoint: " + RequestParser.clip(ex.getRequestURI().getPath())); }));
        http.createContext("/api/models", guarded(this::models));
        http.createContext("/api/generate", guarded(this::generateOrStream));
        http.start();
    }

    /** Starts serving on {@code host:port} (port 0 = any free port; see {@link #port()}). */
    public static PoemServer start(PoemService service, String host, int port, ServerLimits limits, PrintStream log)
            throws IOException {
        return new PoemServer(service, host, port, limits, log);
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** http://host:port/ as a client on this machine would open it. */
    public String url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return "http://" + host + ":" + a.getPort() + "/";
    }

    /** Stops accepting, gives running exchanges a moment, then stops the pools. */
    @Override
    public void close() {
        http.stop(0);
        genPool.shutdownNow();
        httpPool.shutdownNow();
    }

    // ---- handlers

    private void page(HttpExchange ex) throws IOException {
        requireMethod(ex, "GET");
        StaticFiles.Asset a = files.find(ex.getRequestURI().getPath());
        if (a == null) throw new RequestException(404, null, "not found");
        var h = ex.getResponseHeaders();
        h.set("Content-Type", a.contentType());
        h.set("Cache-Control", "no-cache");
        // The page loads nothing from elsewhere; saying so keeps it that way.
        h.set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        h.set("Referrer-Policy", "no-referrer");
        send(ex, 200, a.bytes());
    }

    private void health(HttpExchange ex) throws IOException {
        requireMethod(ex, "GET");
        exactPath(ex, "/health");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("models", service.models().stream().map(ModelInfo::name).toList());
        m.put("running", genPool.getActiveCount());
        m.put("queued", genPool.getQueue().size());
        m.put("served", served.get());
        m.put("refused", refused.get());
        m.put("timed_out", timedOut.get());
        m.put("failed", failed.get());
        m.put("uptime_s", (System.nanoTime() - startNanos) / 1_000_000_000L);
        sendJson(ex, 200, m);
    }

    private void models(HttpExchange ex) throws IOException {
        requireMethod(ex, "GET");
        exactPath(ex, "/api/models");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("models", service.models());
        m.put("forms", GenerateRequest.FORMS);
        m.put("fields", RequestParser.FIELDS);
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("max_prompt", limits.maxPromptChars());
        l.put("max_count", limits.maxCount());
        l.put("max_length", limits.maxLength());
        l.put("max_beam", limits.maxBeam());
        l.put("max_body_bytes", limits.maxBodyBytes());
        l.put("timeout_s", limits.timeout().toMillis() / 1000.0);
        m.put("limits", l);
        sendJson(ex, 200, m);
    }

    private void generateOrStream(HttpExchange ex) throws IOException {
        switch (ex.getRequestURI().getPath()) {
            case "/api/generate" -> generate(ex);
            case "/api/generate/stream" -> stream(ex);
            default -> throw new RequestException(404, null, "no such endpoint: " + RequestParser.clip(ex.getRequestURI().getPath()));
        }
    }

    private void generate(HttpExchange ex) throws IOException {
        requireMethod(ex, "POST");
        GenerateRequest req = parser.fromJson(readBody(ex));
        long t0 = System.nanoTime();
        Deadline deadline = Deadline.after(limits.timeout());
        Future<List<PoemResult>> f = submit(() -> service.generate(req, deadline));
        List<PoemResult> poems = await(f, deadline);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", req.model());
        m.put("seed", req.seed());
        m.put("poems", poems);
        m.put("elapsed_ms", ms);
        served.incrementAndGet();
        logLine(200, req, ms);
        sendJson(ex, 200, m);
    }

    private void stream(HttpExchange ex) throws IOException {
        requireMethod(ex, "GET");
        GenerateRequest req = parser.fromQuery(ex.getRequestURI().getRawQuery());
        if (req.count() != 1) throw RequestException.badField("count", "the stream writes one poem; use POST /api/generate for more");
        long t0 = System.nanoTime();
        Deadline deadline = Deadline.after(limits.timeout());
        SseSink sink = new SseSink(ex, Map.of("model", req.model(), "seed", req.seed()));
        Future<PoemResult> f = submit(() -> service.stream(req, deadline, sink::token));
        PoemResult poem;
        try {
            poem = await(f, deadline);
        } catch (RequestException e) {
            // Before the first event the client still gets a plain status; after it, an error event.
            if (sink.closeUnopened()) throw e;
            logLine(e.status(), req, (System.nanoTime() - t0) / 1_000_000);
            sink.finish("error", errorBody(e.status(), e.field(), e.getMessage()));
            return;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", poem.text());
        m.put("logprob", poem.logprob());
        m.put("perplexity", poem.perplexity());
        m.put("report", poem.report());
        m.put("seed", req.seed());
        m.put("elapsed_ms", ms);
        served.incrementAndGet();
        logLine(200, req, ms);
        sink.finish("poem", m);
    }

    // ---- generation pool

    private <T> Future<T> submit(Callable<T> work) {
        try {
            return genPool.submit(work);
        } catch (RejectedExecutionException e) {
            refused.incrementAndGet();
            throw new RequestException(429, null, "busy: " + limits.maxConcurrent() + " poems are being written and "
                    + limits.maxQueue() + " are waiting; try again in a moment");
        }
    }

    /** Waits for a generation within its deadline; maps its failure to the status the client gets. */
    private <T> T await(Future<T> f, Deadline deadline) {
        try {
            return f.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Cooperative: the generation stops at its next Deadline.check(). Never interrupt it: a thread
            // interrupted while writing a streamed token closes the connection's channel under the response.
            deadline.cancel("timed out");
            f.cancel(false);
            genPool.purge();          // a cancelled task still waiting would otherwise hold its queue slot
            throw timeout();
        } catch (InterruptedException e) {
            deadline.cancel("server stopping");
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new RequestException(503, null, "the server is stopping");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RequestException re) throw re;
            if (c instanceof ConfigException ce) throw new RequestException(400, null, ce.getMessage());
            if (c instanceof IllegalArgumentException ia) throw new RequestException(400, null, ia.getMessage());
            if (c instanceof Deadline.Expired) throw timeout();
            failed.incrementAndGet();
            logInternal("generation failed", c);
            throw new RequestException(500, null, "internal error while writing: " + c.getClass().getSimpleName());
        }
    }

    /** An internal bug behind a 500: one line on the server's log; the stack trace only with YUEFU_DEBUG set (as the CLI). */
    private static void logInternal(String what, Throwable t) {
        System.err.println("yuefu serve: " + what + ": " + t + (System.getenv("YUEFU_DEBUG") == null ? " (set YUEFU_DEBUG=1 for the stack trace)" : ""));
        if (System.getenv("YUEFU_DEBUG") != null) t.printStackTrace(System.err);
    }

    private RequestException timeout() {
        timedOut.incrementAndGet();
        return new RequestException(503, null, "timed out after " + limits.timeout().toSeconds()
                + " s; ask for fewer poems, a shorter max_length or a narrower beam");
    }

    // ---- plumbing

    @FunctionalInterface
    private interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    /** Wraps a handler: every refusal or failure becomes a JSON error; the exchange is always closed. */
    private com.sun.net.httpserver.HttpHandler guarded(Handler h) {
        return ex -> {
            try {
                ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                checkHost(ex);
                h.handle(ex);
            } catch (RequestException e) {
                if (e.status() == 429 || e.status() == 503) ex.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_S));
                trySend(ex, e.status(), errorBody(e.status(), e.field(), e.getMessage()));
            } catch (IOException e) {
                // The client went away mid-response; nothing to tell it.
            } catch (RuntimeException | Error e) {
                failed.incrementAndGet();
                logInternal(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " failed", e);
                trySend(ex, 500, errorBody(500, null, "internal error: " + e.getClass().getSimpleName()));
            } finally {
                ex.close();
            }
        };
    }

    /**
     * On a loopback address only loopback names are answered. A web page elsewhere could otherwise point its own
     * domain name at 127.0.0.1 (DNS rebinding) and use the visitor's browser to call this server.
     */
    private void checkHost(HttpExchange ex) {
        if (!loopbackOnly) return;
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null) return;   // HTTP/1.0 without Host: not a browser
        String name = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d*$", "");
        if (name.equalsIgnoreCase("localhost") || name.equals("[::1]") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) return;
        throw new RequestException(403, null, "Host '" + RequestParser.clip(host) + "' refused: this server is bound to loopback "
                + "and answers only to localhost names; start it with --host to serve others");
    }

    private static Map<String, Object> errorBody(int status, String field, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        if (field != null) m.put("field", field);
        m.put("status", status);
        return m;
    }

    private static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw new RequestException(405, null, ex.getRequestMethod() + " not allowed here; use " + method);
        }
    }

    private static void exactPath(HttpExchange ex, String path) {
        if (!ex.getRequestURI().getPath().equals(path)) throw new RequestException(404, null, "not found");
    }

    /** The body, refusing more than {@code maxBodyBytes} (413) whether or not Content-Length says so up front. */
    private byte[] readBody(HttpExchange ex) throws IOException {
        int max = limits.maxBodyBytes();
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        if (len != null) {
            try {
                if (Long.parseLong(len.strip()) > max) throw tooLarge(max);
            } catch (NumberFormatException e) {
                throw new RequestException(400, "body", "body: bad Content-Length");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) throw tooLarge(max);
            return body;
        }
    }

    private static RequestException tooLarge(int max) {
        return new RequestException(413, "body", "body: larger than " + max + " bytes");
    }

    private static void sendJson(HttpExchange ex, int status, Object value) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(ex, status, Json.bytes(value));
    }

    /**
     * Sends a whole response. Closing the body stream here, before the exchange, matters: the JDK server flushes
     * the response there, whereas closing the exchange first drains the unread request body, which for a refused
     * oversized body would hold the response back until the client gave up.
     */
    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (status == 413) ex.getResponseHeaders().set("Connection", "close");   // the rest of the body is unwanted
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** Sends an error unless a response has already begun (then the connection is simply closed). */
    private static void trySend(HttpExchange ex, int status, Map<String, Object> body) {
        if (ex.getResponseCode() != -1) return;
        try {
            sendJson(ex, status, body);
        } catch (IOException | RuntimeException ignored) {
            // client gone
        }
    }

    private void logLine(int status, GenerateRequest req, long ms) {
        if (log != null) log.println(status + " " + ms + " ms " + req.describe());
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
