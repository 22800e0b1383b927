package io.github.yuefu.experiments;

/**
 * What one finished run of a grid measured; written atomically to {@code runs/ID/result.json} the moment the run
 * ends, which is what makes a grid resumable: a run with this file is done and never repeated.
 *
 * @param steps          optimizer steps taken
 * @param tokens         training tokens consumed (counted targets)
 * @param valLoss        held-out mean NLL (nats per token) at the end of the budget, over the whole validation split
 * @param valPpl         exp(valLoss): the exact held-out perplexity
 * @param valBpc         valLoss / ln 2: bits per character with the character tokenizer
 * @param bestValPpl     the lowest held-out perplexity seen at any evaluation of the run
 * @param finalTrainLoss mean training loss over the last {@link GridRunner#FINAL_LOSS_WINDOW} steps
 * @param tokensPerSec   training tokens per second of training time (evaluation excluded)
 * @param wallSeconds    wall time of the run, evaluation and checkpoints included; for a resumed run, of its last part
 * @param resumed        the run was interrupted and continued from a checkpoint
 * @param loadAverage    the machine's 1-minute load average when the run ended (speed on a shared machine varies)
 * @param sample         text generated from the grid's start string
 */
public record RunResult(String run, String variant, long seed, long parameters, long steps, long tokens,
                        double valLoss, double valPpl, double valBpc, double bestValPpl, double finalTrainLoss,
                        double tokensPerSec, double wallSeconds, boolean resumed, double loadAverage,
                        String sample) {}
