package io.github.yuefu.generate;

import java.util.Arrays;

/**
 * Where one poem stands in its form, and what it has committed to: clause and position (position == chars is
 * the punctuation slot; clause == clauses means only the end token may follow), the rhyme group chosen by the
 * first rhyming clause, the tone pattern chosen by the second character, the characters already used as
 * rhymes. Plain mutable fields, copied (not allocated) when beams are reordered.
 */
final class Cursor {
    int clause;
    int pos;
    int length;          // tokens of printed text so far (prompt included)
    int rhymeGroup = -1; // RhymeGroup ordinal once chosen
    int levelStart = -1; // 1 平起, 0 仄起, -1 not yet known
    final int[] rhymeIds = new int[8];
    int rhymeCount;
    boolean ended;       // the end token was emitted

    void reset() {
        clause = pos = length = rhymeCount = 0;
        rhymeGroup = levelStart = -1;
        ended = false;
        Arrays.fill(rhymeIds, 0);
    }

    void copyFrom(Cursor o) {
        clause = o.clause;
        pos = o.pos;
        length = o.length;
        rhymeGroup = o.rhymeGroup;
        levelStart = o.levelStart;
        System.arraycopy(o.rhymeIds, 0, rhymeIds, 0, rhymeIds.length);
        rhymeCount = o.rhymeCount;
        ended = o.ended;
    }

    boolean usedAsRhyme(int id) {
        for (int i = 0; i < rhymeCount; i++) {
            if (rhymeIds[i] == id) return true;
        }
        return false;
    }
}
