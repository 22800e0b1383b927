package io.github.yuefu.server;

/**
 * One written poem as the API returns it.
 *
 * @param text       the poem, punctuation included, no begin/end tokens
 * @param logprob    natural-log probability of the written tokens (end token included) under the model
 * @param perplexity exp(−logprob / tokens)
 * @param report     the generator's poem report (form check, rhyme groups, tone match, repeats), serialised by
 *                   Jackson as it is; null when there is none
 */
public record PoemResult(String text, double logprob, double perplexity, Object report) {}
