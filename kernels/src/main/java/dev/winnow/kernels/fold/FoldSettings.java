package dev.winnow.kernels.fold;

/**
 * What {@link Folder} does.
 *
 * @param keepBlocks blocks kept, 1 to the model's depth − 1
 * @param sharedGroups groups of {@code groupSize} consecutive kept blocks that share one set of
 *     weights (0: no sharing); the other kept blocks keep their own
 * @param groupSize blocks per shared group, at least 2
 * @param method how the removed blocks are chosen
 * @param trainTokens distillation tokens (0: no distillation)
 * @param gateTokens tokens for training the gates ({@link FoldMethod#GATES} only)
 * @param analysisTokens calibration tokens for the analysis, SLEB and the sharing measurements
 * @param sequenceLength tokens per training sequence
 * @param batchSize sequences per step
 * @param loraRank rank of the adapters trained in distillation (shared within a group)
 * @param learningRate peak AdamW rate of distillation (warm-up 5%, cosine decay to 10%)
 * @param temperature distillation temperature τ
 * @param seed seeds batch order and adapter initialisation
 */
public record FoldSettings(
    int keepBlocks,
    int sharedGroups,
    int groupSize,
    FoldMethod method,
    long trainTokens,
    long gateTokens,
    int analysisTokens,
    int sequenceLength,
    int batchSize,
    int loraRank,
    double learningRate,
    double temperature,
    long seed) {

  public FoldSettings {
    if (keepBlocks < 1) {
      throw new IllegalArgumentException("illegal --keep-blocks " + keepBlocks + ": at least 1");
    }
    if (sharedGroups < 0) {
      throw new IllegalArgumentException("illegal --groups " + sharedGroups + ": 0 or more");
    }
    if (groupSize < 2) {
      throw new IllegalArgumentException("illegal --group-size " + groupSize + ": at least 2");
    }
    if ((long) sharedGroups * groupSize > keepBlocks) {
      throw new IllegalArgumentException(
          "--groups "
              + sharedGroups
              + " of --group-size "
              + groupSize
              + " need "
              + (sharedGroups * groupSize)
              + " kept blocks, but --keep-blocks is "
              + keepBlocks);
    }
    if (trainTokens < 0 || gateTokens < 0) {
      throw new IllegalArgumentException("illegal token budget: --train-tokens must be 0 or more");
    }
    if (sequenceLength < 2 || batchSize < 1 || analysisTokens < sequenceLength) {
      throw new IllegalArgumentException(
          "illegal batch: sequence length "
              + sequenceLength
              + " (at least 2), batch "
              + batchSize
              + ", analysis tokens "
              + analysisTokens
              + " (at least one sequence)");
    }
    if (loraRank < 1 || !(learningRate > 0) || !(temperature > 0)) {
      throw new IllegalArgumentException(
          "illegal distillation settings: LoRA rank "
              + loraRank
              + ", lr "
              + learningRate
              + ", temperature "
              + temperature
              + " (all must be positive)");
    }
  }

  /**
   * The defaults for {@code keepBlocks} and {@code sharedGroups}: gates, 2M distillation tokens,
   * 131,072 gate tokens, 16,384 analysis tokens, batches of 4 × 256, LoRA rank 8, lr 1e-3, τ = 1,
   * seed 1.
   */
  public static FoldSettings defaults(int keepBlocks, int sharedGroups) {
    return new FoldSettings(
        keepBlocks,
        sharedGroups,
        2,
        FoldMethod.GATES,
        2_000_000,
        131_072,
        16_384,
        256,
        4,
        8,
        1e-3,
        1.0,
        1);
  }

  public FoldSettings withMethod(FoldMethod m) {
    return new FoldSettings(
        keepBlocks,
        sharedGroups,
        groupSize,
        m,
        trainTokens,
        gateTokens,
        analysisTokens,
        sequenceLength,
        batchSize,
        loraRank,
        learningRate,
        temperature,
        seed);
  }

  public FoldSettings withTrainTokens(long t) {
    return new FoldSettings(
        keepBlocks,
        sharedGroups,
        groupSize,
        method,
        t,
        gateTokens,
        analysisTokens,
        sequenceLength,
        batchSize,
        loraRank,
        learningRate,
        temperature,
        seed);
  }

  public FoldSettings withSeed(long s) {
    return new FoldSettings(
        keepBlocks,
        sharedGroups,
        groupSize,
        method,
        trainTokens,
        gateTokens,
        analysisTokens,
        sequenceLength,
        batchSize,
        loraRank,
        learningRate,
        temperature,
        s);
  }

  public FoldSettings withBudgets(long gate, int analysis, int length, int batch) {
    return new FoldSettings(
        keepBlocks,
        sharedGroups,
        groupSize,
        method,
        trainTokens,
        gate,
        analysis,
        length,
        batch,
        loraRank,
        learningRate,
        temperature,
        seed);
  }

  public FoldSettings withGroupSize(int size) {
    return new FoldSettings(
        keepBlocks,
        sharedGroups,
        size,
        method,
        trainTokens,
        gateTokens,
        analysisTokens,
        sequenceLength,
        batchSize,
        loraRank,
        learningRate,
        temperature,
        seed);
  }
}
