package dev.winnow.kernels.fold;

import dev.winnow.kernels.model.ModelWeights;

/**
 * What one fold did.
 *
 * @param settings what was asked
 * @param analysis the redundancy analysis of the original model
 * @param removal the removed blocks and how they were chosen
 * @param sharing the shared groups (positions in the folded model) and the measured candidates
 * @param distillation the fine-tuning, or null when no training tokens were given
 * @param weights the folded model's weights (shared arrays shared)
 * @param calibrationTokens tokens of calibration text available (packed)
 * @param seconds wall time of the fold
 */
public record FoldResult(
    FoldSettings settings,
    BlockAnalysis analysis,
    BlockRemoval removal,
    BlockSharing sharing,
    Distiller distillation,
    ModelWeights weights,
    long calibrationTokens,
    double seconds) {}
