package io.github.yuefu.checkpoint;

import io.github.yuefu.optim.LrSchedule;
import java.util.Map;

/**
 * Everything besides the weights that a training run needs to continue exactly where it was: counters, the data
 * cursor, every RNG, the optimizer's moments, the schedule's state, the health guard's memory and the hidden state
 * carried between stream-mode windows.
 *
 * @param cursor      the batch source's position (epoch, batch index)
 * @param modelRng    the model's dropout RNG
 * @param moments     optimizer moment buffers by name, each (P)
 * @param lrScale     multiplier from rollbacks (halved at each)
 * @param startLoss   loss of the first step (the blow-up guard's reference)
 * @param carriedH    (L, B, H) carried hidden state in stream mode, null in poem mode
 * @param carriedC    (L, B, H) carried LSTM cell state, null otherwise
 */
public record TrainingState(long step, long epoch, long[] cursor, long modelRng, String optimizer, long optimizerSteps,
                            Map<String, float[]> moments, LrSchedule.State schedule, double lrScale, int rollbacks,
                            double bestValPpl, long bestStep, int badEvals, double startLoss, long tokensSeen,
                            double lastValPpl, double trainSeconds, float[] carriedH, float[] carriedC) {}
