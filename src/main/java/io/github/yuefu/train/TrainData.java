package io.github.yuefu.train;

import io.github.yuefu.text.Vocabulary;
import java.util.Map;

/**
 * What training reads: the vocabulary, the training and validation batch sources (split by document, seeded), and
 * metadata describing the split (seed, fraction, counts) that goes into every checkpoint so evaluation never sees
 * training documents.
 */
public record TrainData(Vocabulary vocab, BatchSource train, BatchSource val, Map<String, String> splitMeta) {}
