package io.github.yuefu.server;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the HTTP layer needs from the models: the list, and poems. Implementations hold the models, loaded once
 * and shared read-only; every call builds its own generation state, so calls may run on many threads at once.
 * The server bounds how many run at once and how long each may take; an implementation checks
 * {@link Deadline#check()} at every written token so a timed-out or abandoned request stops promptly.
 *
 * <p>Errors the client can fix (unknown character, acrostic too long for the form) are thrown as
 * {@link RequestException} with status 400 or as {@link io.github.yuefu.config.ConfigException}, which the
 * server answers with 400.
 */
public interface PoemService {

    List<ModelInfo> models();

    /** Writes {@code request.count()} poems. */
    List<PoemResult> generate(GenerateRequest request, Deadline deadline);

    /**
     * Writes one poem, calling {@code onToken} with each written piece of text (a character, or punctuation) as
     * soon as it is chosen, and returns the whole poem. Beam search, which only knows its poem at the end, may
     * call {@code onToken} for every character of the result at the end.
     */
    PoemResult stream(GenerateRequest request, Deadline deadline, Consumer<String> onToken);
}
