package io.github.yuefu.text;

import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.config.CorpusConfig.Form;
import io.github.yuefu.config.CorpusConfig.Marks;
import java.util.Set;

/**
 * The cleaning steps actually applied, with every {@link CorpusConfig} default resolved for the detected format.
 * Steps run in this order on each document: whitespace removal → traditional→simplified → marks → length → form.
 *
 * @param minLength shortest kept document, in code points after whitespace removal
 * @param maxLength longest kept document, in code points
 */
public record Cleaning(boolean removeWhitespace, boolean simplify, Marks marks, int minLength, int maxLength, Set<Form> forms) {

    /** tensorflow_poems' pipeline: whitespace removed, {@code _ ( （ 《 [ B E} dropped, 5..79 code points. */
    public static final Cleaning CLASSIC = new Cleaning(true, false, Marks.CLASSIC, 5, 79, Set.of());

    /** The default for poem formats: like {@link #CLASSIC} but the stricter mark filter. */
    public static final Cleaning POEMS = new Cleaning(true, false, Marks.STRICT, 5, 79, Set.of());

    /** The default for plain text: nothing removed, nothing dropped (except blank lines / empty blocks). */
    public static final Cleaning NONE = new Cleaning(false, false, Marks.NONE, 1, Integer.MAX_VALUE, Set.of());

    public Cleaning {
        if (marks == null || marks == Marks.AUTO) throw new IllegalArgumentException("marks must be resolved");
        forms = Set.copyOf(forms);
    }

    /** The config's choices over the defaults of {@code format} (POEMS, JSON and TGZ are poem formats). */
    public static Cleaning resolve(CorpusConfig c, CorpusConfig.Format format) {
        Cleaning base = format == CorpusConfig.Format.TEXT ? NONE : POEMS;
        return new Cleaning(
                c.removeWhitespace() != null ? c.removeWhitespace() : base.removeWhitespace,
                c.simplify(),
                c.marks() != Marks.AUTO ? c.marks() : base.marks,
                c.minLength() != null ? c.minLength() : base.minLength,
                c.maxLength() != null ? c.maxLength() : base.maxLength,
                c.forms());
    }
}
