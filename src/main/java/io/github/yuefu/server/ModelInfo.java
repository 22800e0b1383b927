package io.github.yuefu.server;

import java.util.Map;

/**
 * A model the server offers, as {@code GET /api/models} lists it.
 *
 * @param name    the name requests use (from {@code --model NAME=PATH}, or the file name)
 * @param config  the architecture (cell, layers, vocab, hidden…) as JSON-friendly values
 * @param details anything else worth showing (vocabulary size, file, training summary)
 */
public record ModelInfo(String name, Map<String, Object> config, Map<String, Object> details) {}
