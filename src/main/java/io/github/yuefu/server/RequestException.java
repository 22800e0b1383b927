package io.github.yuefu.server;

/**
 * A request the server refuses, with the HTTP status to answer and (for 400s) the request field at fault, so a
 * client can point at the input to fix. The message is shown to the client verbatim: it must say what is wrong
 * and what is allowed, and never echo more than a short piece of the client's input.
 */
public final class RequestException extends RuntimeException {
    private final int status;
    private final String field;

    public RequestException(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    /** 400 Bad Request naming {@code field}: the message is prefixed with the field name. */
    public static RequestException badField(String field, String message) {
        return new RequestException(400, field, field + ": " + message);
    }

    public int status() {
        return status;
    }

    /** The request field at fault, or null when the error is not about one field. */
    public String field() {
        return field;
    }
}
