package dev.winnow.kernels.fold;

import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.train.AdamW;
import dev.winnow.kernels.train.Distillation;
import dev.winnow.kernels.train.GradientClipping;
import dev.winnow.kernels.train.LoraConfig;
import dev.winnow.kernels.train.Parameter;
import dev.winnow.kernels.train.ParameterGroup;
import dev.winnow.kernels.train.TrainableModel;
import java.util.EnumSet;
import java.util.List;

/**
 * FoldGPT's distillation fine-tuning: the folded model learns the original's next-token
 * distribution (temperature-scaled KL) through its norms (each block its own) and LoRA adapters on
 * every projection. A shared group has one set of adapters: its members' adapters start equal and
 * every step gives each the sum of the members' gradients, so they stay bit-identical and merge
 * into the one shared matrix. AdamW, global-norm clipping at 1, warm-up over the first 5% of steps
 * and cosine decay to 10% of the peak rate.
 *
 * @param weights the folded model after training, adapters merged, shared arrays shared
 * @param losses the loss of every step
 * @param tokensPerSecond training tokens per second (teacher forward included)
 */
public record Distiller(ModelWeights weights, double[] losses, double tokensPerSecond) {

  /** Trains {@code folded} against {@code teacher} on {@code batches}. */
  public static Distiller train(
      ModelWeights folded,
      List<List<Integer>> groups,
      TrainableModel teacher,
      List<int[][]> batches,
      FoldSettings settings,
      MatrixProducts products,
      WorkerPool pool,
      FoldProgress progress) {
    TrainableModel student =
        new TrainableModel(
            folded, LoraConfig.ofRank(settings.loraRank(), settings.seed()), products, pool);
    student.setTrainable(EnumSet.of(ParameterGroup.NORMS, ParameterGroup.LORA));
    for (List<Integer> group : groups) {
      List<Parameter> lead = student.blockParameters(group.get(0), ParameterGroup.LORA);
      for (int m : group.subList(1, group.size())) {
        List<Parameter> own = student.blockParameters(m, ParameterGroup.LORA);
        for (int j = 0; j < lead.size(); j++) {
          System.arraycopy(
              lead.get(j).value(), 0, own.get(j).value(), 0, lead.get(j).value().length);
        }
      }
    }
    List<Parameter> trainable = student.trainableParameters();
    AdamW adam = new AdamW(trainable, AdamW.Settings.defaults(settings.learningRate()));
    int steps = batches.size();
    int warmup = Math.max(1, steps / 20);
    double[] losses = new double[steps];
    long start = System.nanoTime();
    long tokens = 0;
    for (int s = 0; s < steps; s++) {
      int[][] ids = batches.get(s);
      float[] teacherLogits = teacher.logits(ids);
      student.zeroGradients();
      losses[s] =
          student.lossAndGradients(ids, new Distillation(teacherLogits, settings.temperature()));
      for (List<Integer> group : groups) {
        sumSharedGradients(student, group);
      }
      GradientClipping.clipGlobalNorm(trainable, 1.0);
      adam.step(rate(settings.learningRate(), s, steps, warmup));
      tokens += (long) ids.length * ids[0].length;
      progress.step(
          "distill", s + 1, steps, losses[s], tokens / ((System.nanoTime() - start) / 1e9));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ModelWeights trained = student.exportWeights(folded.storedAs());
    return new Distiller(
        reshare(trained, groups), losses, steps == 0 ? 0 : tokens / Math.max(seconds, 1e-9));
  }

  /** Warm-up, then cosine decay from the peak to 10% of it. */
  static double rate(double peak, int step, int steps, int warmup) {
    if (step < warmup) {
      return peak * (step + 1) / warmup;
    }
    double progress = (double) (step - warmup) / Math.max(1, steps - warmup);
    return peak * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  private static void sumSharedGradients(TrainableModel student, List<Integer> group) {
    List<List<Parameter>> members =
        group.stream().map(m -> student.blockParameters(m, ParameterGroup.LORA)).toList();
    for (int j = 0; j < members.get(0).size(); j++) {
      float[] sum = members.get(0).get(j).grad().clone();
      for (int m = 1; m < members.size(); m++) {
        float[] g = members.get(m).get(j).grad();
        for (int i = 0; i < sum.length; i++) {
          sum[i] += g[i];
        }
      }
      for (List<Parameter> member : members) {
        System.arraycopy(sum, 0, member.get(j).grad(), 0, sum.length);
      }
    }
  }

  /**
   * The exported weights with each group's members holding its first member's arrays again (they
   * are equal after training; checked), so that one copy is kept.
   */
  static ModelWeights reshare(ModelWeights trained, List<List<Integer>> groups) {
    List<Integer> leaders = groups.stream().map(g -> g.get(0)).toList();
    for (int g = 0; g < groups.size(); g++) {
      var lead = trained.layers().get(leaders.get(g));
      for (int m : groups.get(g)) {
        var own = trained.layers().get(m);
        if (!java.util.Arrays.equals(own.qkvWeight(), lead.qkvWeight())
            || !java.util.Arrays.equals(own.upWeight(), lead.upWeight())
            || !java.util.Arrays.equals(own.downWeight(), lead.downWeight())
            || !java.util.Arrays.equals(own.outWeight(), lead.outWeight())) {
          throw new IllegalStateException(
              "blocks " + groups.get(g) + " were to share weights but differ after training");
        }
      }
    }
    return BlockSharing.share(trained, groups, leaders);
  }
}
