package dev.winnow.kernels.cpu;

import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.testing.SharedData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where the time of {@code score()} goes (not a test; run its {@code main} with {@code
 * -Dwinnow.kernels.profile=true -Dwinnow.shared=../shared}): per model, backend and batch shape,
 * the wall time of each part of the forward pass and head ({@link PassProfile}), averaged over
 * {@code -Dcalls=} calls after two warm-ups. {@code -Dmodels=proxy-deep,proxy-small}, {@code
 * -Dbackends=openblas,onednn}, {@code -Dshapes=1x512,4x1024}, {@code -Dthreads=2}; the oneDNN form
 * from {@code -Dwinnow.kernels.bf16}.
 */
public final class PassProfileBenchmark {
  private PassProfileBenchmark() {}

  public static void main(String[] args) {
    if (!PassProfile.ON) {
      throw new IllegalStateException("run with -Dwinnow.kernels.profile=true");
    }
    int threads = Integer.getInteger("threads", 2);
    int calls = Integer.getInteger("calls", 3);
    String[] models = System.getProperty("models", "proxy-deep,proxy-small").split(",");
    String[] backends = System.getProperty("backends", "openblas,onednn").split(",");
    String[] shapes = System.getProperty("shapes", "1x512,4x1024").split(",");
    System.out.printf(
        Locale.ROOT,
        "load average %.2f, threads %d, bf16 form %s%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        threads,
        System.getProperty(OneDnnMatrixProducts.FORM_PROPERTY, "x3"));
    for (String model : models) {
      ModelWeights weights = ModelLoader.load(SharedData.model(model)).weights();
      for (String backend : backends) {
        MatrixBackend b = MatrixBackend.valueOf(backend.trim().toUpperCase(Locale.ROOT));
        try (CpuScoringEngine engine = CpuScoringEngine.open(weights, threads, b)) {
          for (String shape : shapes) {
            String[] bl = shape.split("x");
            int batch = Integer.parseInt(bl[0]);
            int length = Integer.parseInt(bl[1]);
            Random random = new Random(7);
            List<int[]> seqs = new ArrayList<>();
            for (int s = 0; s < batch; s++) {
              int[] ids = new int[length];
              for (int i = 0; i < length; i++) {
                ids[i] = random.nextInt(weights.config().vocabSize());
              }
              seqs.add(ids);
            }
            engine.score(seqs);
            engine.score(seqs);
            PassProfile.reset();
            long t0 = System.nanoTime();
            for (int c = 0; c < calls; c++) {
              engine.score(seqs);
            }
            double ms = (System.nanoTime() - t0) / 1e6 / calls;
            System.out.printf(
                Locale.ROOT,
                "== %s %s %s: %.1f ms/call, %.0f tokens/s%n%s",
                model,
                backend,
                shape,
                ms,
                batch * length * 1000.0 / ms,
                PassProfile.report(calls));
          }
        }
      }
    }
  }
}
