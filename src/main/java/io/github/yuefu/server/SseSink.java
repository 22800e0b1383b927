package io.github.yuefu.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One Server-Sent Events response. The generation thread writes tokens through it while the request's HTTP thread
 * waits; on a timeout the HTTP thread closes it. All methods hold the lock, so events never interleave, and once
 * closed every {@link #token} throws {@link Deadline.Expired}, which unwinds the generation. The 200 headers go out
 * with the first event, so a request refused before any character (unknown start character, queue timeout) still
 * gets a plain HTTP status and JSON error.
 *
 * <p>Events: {@code start} {"model","seed"}, then one {@code token} {"text"} per written piece, then {@code poem}
 * (the whole poem, logprob, perplexity, report) or {@code error} {"error","status"}.
 */
final class SseSink {
    private final HttpExchange exchange;
    private final Map<String, Object> startEvent;
    private OutputStream out;     // null until the headers are sent
    private boolean closed;

    SseSink(HttpExchange exchange, Map<String, Object> startEvent) {
        this.exchange = exchange;
        this.startEvent = startEvent;
    }

    synchronized boolean opened() {
        return out != null;
    }

    /** Called by the generation thread for every written piece of text. */
    synchronized void token(String text) {
        if (closed) throw new Deadline.Expired("stream closed");
        try {
            open();
            event("token", Map.of("text", text));
        } catch (IOException e) {
            closed = true;
            throw new Deadline.Expired("client went away");
        }
    }

    /** The last event (poem or error); closes the stream. Returns false when the client had gone. */
    synchronized boolean finish(String name, Object data) {
        if (closed) return false;
        closed = true;
        try {
            open();
            event(name, data);
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            exchange.close();
        }
    }

    /** Marks the stream closed without writing (the caller answers with a plain HTTP error instead). */
    synchronized boolean closeUnopened() {
        if (out != null || closed) return false;
        closed = true;
        return true;
    }

    private void open() throws IOException {
        if (out != null) return;
        var h = exchange.getResponseHeaders();
        h.set("Content-Type", "text/event-stream; charset=utf-8");
        h.set("Cache-Control", "no-cache");
        h.set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);   // 0 = chunked: length unknown, sent event by event
        out = exchange.getResponseBody();
        event("start", startEvent);
    }

    private void event(String name, Object data) throws IOException {
        // Jackson writes JSON on one line, so one "data:" line per event suffices.
        out.write(("event: " + name + "\ndata: " + Json.string(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
