package io.github.yuefu.generate;

import io.github.yuefu.config.CorpusConfig;
import io.github.yuefu.model.StepModel;
import io.github.yuefu.text.Tokenizer;
import io.github.yuefu.text.Vocabulary;

/**
 * What {@code yuefu write} needs from a model file: the model, its vocabulary and tokenizer, and the training
 * corpus settings the file records (for {@code --report}'s copy check), or null when it records none.
 */
public record WriteModel(StepModel model, Vocabulary vocabulary, Tokenizer tokenizer, CorpusConfig corpus) {
}
