package io.github.yuefu.generate;

import io.github.yuefu.model.StepModel;
import io.github.yuefu.text.Vocabulary;
import java.nio.file.Path;

/**
 * What {@code yuefu write} needs from a model file: the model, its vocabulary, and the training corpus the
 * file names (for {@code --report}'s copy check), or null when it names none.
 */
public record WriteModel(StepModel model, Vocabulary vocabulary, Path corpus) {
}
