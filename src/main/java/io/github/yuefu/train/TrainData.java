package io.github.yuefu.train;

import io.github.yuefu.data.Batches;
import io.github.yuefu.data.Split;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;

/**
 * What training reads: the vocabulary and tokenizer, the training and validation batches (split by document,
 * seeded) and the split's spec, which goes into every checkpoint so evaluation never sees training documents.
 */
public record TrainData(Vocabulary vocab, Tokenizer tokenizer, Batches train, Batches val, Split.Spec split) {}
