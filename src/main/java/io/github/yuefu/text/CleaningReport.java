package io.github.yuefu.text;

import java.util.EnumMap;
import java.util.Map;

/**
 * What reading and cleaning did, counted: every line or entry read is either kept or dropped for exactly one
 * {@link Reason} (the first that applies, in declaration order), so {@code kept + sum(dropped) == read}.
 * Separately, {@link #wouldDropAlone} counts how many parsed documents each filter would drop on its own,
 * which is what {@code yuefu corpus stats} shows to help choose filters.
 */
public final class CleaningReport {

    /** Why a line or entry was not kept. Parse reasons first, then filters in the order they run. */
    public enum Reason {
        BLANK_LINE("blank line"),
        NO_SEPARATOR("no ':' separating title and content"),
        EMPTY_CONTENT("empty content"),
        NO_TEXT("JSON entry without paragraphs"),
        MARKS("editorial marks"),
        TOO_SHORT("shorter than the minimum length"),
        TOO_LONG("longer than the maximum length"),
        FORM("not one of the chosen forms");

        public final String description;

        Reason(String description) {
            this.description = description;
        }

        /** True for the reasons that are cleaning filters (not parse failures). */
        public boolean isFilter() {
            return ordinal() >= MARKS.ordinal();
        }
    }

    private int read;
    private int kept;
    private int whitespaceChanged;
    private int simplifiedChanged;
    private final Map<Reason, Integer> dropped = new EnumMap<>(Reason.class);
    private final Map<Reason, Integer> alone = new EnumMap<>(Reason.class);
    private final Map<Reason, String> firstExample = new EnumMap<>(Reason.class);

    void countRead() {
        read++;
    }

    void countKept() {
        kept++;
    }

    void countWhitespaceChanged() {
        whitespaceChanged++;
    }

    void countSimplifiedChanged() {
        simplifiedChanged++;
    }

    /** A line or entry dropped for {@code reason}; {@code where} ("file:line") is kept for the first one. */
    void drop(Reason reason, String where) {
        dropped.merge(reason, 1, Integer::sum);
        firstExample.putIfAbsent(reason, where);
    }

    void wouldDrop(Reason filter) {
        alone.merge(filter, 1, Integer::sum);
    }

    /** Lines (poems.txt, text by line) or entries (JSON) read, blank lines included. */
    public int read() {
        return read;
    }

    public int kept() {
        return kept;
    }

    public int dropped(Reason reason) {
        return dropped.getOrDefault(reason, 0);
    }

    public int droppedTotal() {
        return dropped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** How many parsed documents this filter alone would drop (whatever the other filters say). */
    public int wouldDropAlone(Reason filter) {
        return alone.getOrDefault(filter, 0);
    }

    /** "file:line" of the first document dropped for this reason, or null. */
    public String firstExample(Reason reason) {
        return firstExample.get(reason);
    }

    /** Kept documents whose whitespace was removed. */
    public int whitespaceChanged() {
        return whitespaceChanged;
    }

    /** Kept documents changed by traditional → simplified conversion. */
    public int simplifiedChanged() {
        return simplifiedChanged;
    }

    /** One line: "read 57243, kept 45041; dropped: marks 5161, too short 221, …". */
    public String summary() {
        StringBuilder sb = new StringBuilder("read " + read + ", kept " + kept);
        if (!dropped.isEmpty()) {
            sb.append("; dropped:");
            dropped.forEach((r, n) -> sb.append(' ').append(r.description).append(' ').append(n).append(','));
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
