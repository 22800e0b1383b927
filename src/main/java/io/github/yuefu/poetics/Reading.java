package io.github.yuefu.poetics;

/**
 * The modern Mandarin reading of one character: its toneless syllable ("yue"), its final in ü-aware spelling
 * ("ve" for 月, "v" for 居, "-i" for the apical vowel of 知 and 四), and its tone 1..4 (0 = neutral or unknown).
 */
public record Reading(String syllable, String fin, int tone) {
}
