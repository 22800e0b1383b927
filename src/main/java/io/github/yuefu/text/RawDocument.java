package io.github.yuefu.text;

/**
 * One document as read, before cleaning.
 *
 * @param source file (or tarball entry) it came from
 * @param line   1-based line in the file (poems.txt, text) or 1-based index in the JSON array
 * @param title  title (poems, JSON {@code title}/{@code rhythmic}), "" when there is none
 * @param text   the content the model learns from
 */
public record RawDocument(String source, int line, String title, String text) {}
