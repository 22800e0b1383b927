package io.github.yuefu.config;

/**
 * A user-facing error: bad option, bad file, bad shape. The CLI prints its message on one line and exits
 * with code 2, never a stack trace, so the message must say what is wrong and what to do.
 */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
