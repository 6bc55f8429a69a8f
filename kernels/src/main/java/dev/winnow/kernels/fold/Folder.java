package dev.winnow.kernels.fold;

import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.tokenizer.Tokenizer;
import dev.winnow.kernels.train.TrainableModel;
import java.util.List;
import java.util.Locale;

/**
 * FoldGPT (Liu et al., arXiv 2407.00928) on a loaded model: redundancy analysis, block removal
 * (gates, or the BI / SLEB baselines), grouped parameter sharing, distillation. The library call
 * behind {@code winnow fold}.
 *
 * <pre>{@code
 * LoadedModel model = ModelLoader.load(dir);
 * try (WorkerPool pool = new WorkerPool(2);
 *     MatrixProducts products = MatrixProducts.open(MatrixBackend.OPENBLAS, pool)) {
 *   FoldResult r = Folder.fold(model.weights(), model.requireTokenizer(), texts,
 *       FoldSettings.defaults(8, 2), products, pool, FoldProgress.silent());
 *   FoldOutput.write(out, model, r, manifestExtras);
 * }
 * }</pre>
 */
public final class Folder {
  private Folder() {}

  /** Folds {@code weights} using {@code calibration} texts. */
  public static FoldResult fold(
      ModelWeights weights,
      Tokenizer tokenizer,
      List<String> calibration,
      FoldSettings settings,
      MatrixProducts products,
      WorkerPool pool,
      FoldProgress progress) {
    return fold(
        weights,
        TokenBatches.pack(calibration, tokenizer, settings.sequenceLength()),
        null,
        null,
        settings,
        products,
        pool,
        progress);
  }

  /**
   * Folds {@code weights} on packed calibration tokens; {@code analysis} and {@code removal} may be
   * given to reuse a measurement of the same model on the same data and settings (the comparison
   * runs), else they are measured.
   */
  public static FoldResult fold(
      ModelWeights weights,
      TokenBatches data,
      BlockAnalysis analysis,
      BlockRemoval given,
      FoldSettings settings,
      MatrixProducts products,
      WorkerPool pool,
      FoldProgress progress) {
    long start = System.nanoTime();
    int layers = weights.config().layers();
    if (settings.keepBlocks() >= layers) {
      throw new IllegalArgumentException(
          "--keep-blocks "
              + settings.keepBlocks()
              + " does not remove anything: the model has "
              + layers
              + " blocks; give fewer");
    }
    if (weights.config().scaleAttnByInverseLayerIdx()) {
      throw new IllegalArgumentException(
          "the model scales attention by 1/(layer index + 1) (scale_attn_by_inverse_layer_idx):"
              + " removing blocks would change the remaining blocks' scaling; not supported");
    }
    if (data.size() == 0) {
      throw new IllegalArgumentException(
          "the calibration text holds fewer than "
              + settings.sequenceLength()
              + " tokens: give more calibration documents");
    }
    int b = settings.batchSize();
    long perStep = (long) b * settings.sequenceLength();
    List<int[][]> measure = data.head(settings.analysisTokens(), b);
    TrainableModel teacher = new TrainableModel(weights, null, products, pool);
    if (analysis == null) {
      analysis = BlockAnalysis.measure(teacher, measure);
      progress.message(
          String.format(
              Locale.ROOT,
              "analysis: %d tokens, NLL %.4f, BI %s",
              analysis.tokens(),
              analysis.baseNll(),
              rounded(analysis.blockInfluence())));
    }
    BlockRemoval removal =
        given != null
            ? given
            : switch (settings.method()) {
              case BI -> BlockRemoval.byInfluence(analysis, settings.keepBlocks());
              case SLEB -> BlockRemoval.greedy(teacher, measure, settings.keepBlocks());
              case GATES -> {
                int steps = (int) Math.max(1, settings.gateTokens() / perStep);
                TrainableModel gated = new TrainableModel(weights, null, products, pool);
                yield BlockRemoval.gated(
                    gated,
                    teacher,
                    data.training(steps, b, settings.seed()),
                    settings.keepBlocks(),
                    settings.temperature(),
                    settings.seed(),
                    progress);
              }
            };
    progress.message(settings.method().id() + ": removes blocks " + removal.removed());
    List<Integer> kept = removal.kept(layers);
    ModelWeights pruned = BlockSharing.keep(weights, kept);
    BlockSharing sharing =
        BlockSharing.choose(
            pruned, settings.sharedGroups(), settings.groupSize(), measure, products, pool);
    if (!sharing.groups().isEmpty()) {
      progress.message(
          "sharing: groups "
              + sharing.groups()
              + " (folded positions), leaders "
              + sharing.leaders());
    }
    Distiller distillation = null;
    ModelWeights folded = sharing.folded();
    long steps = settings.trainTokens() / perStep;
    if (steps > 0) {
      distillation =
          Distiller.train(
              folded,
              sharing.groups(),
              teacher,
              data.training((int) steps, b, settings.seed() + 1),
              settings,
              products,
              pool,
              progress);
      folded = distillation.weights();
    }
    return new FoldResult(
        settings,
        analysis,
        removal,
        sharing,
        distillation,
        folded,
        data.tokens(),
        (System.nanoTime() - start) / 1e9);
  }

  private static String rounded(double[] values) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < values.length; i++) {
      s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", values[i]));
    }
    return s.append(']').toString();
  }
}
