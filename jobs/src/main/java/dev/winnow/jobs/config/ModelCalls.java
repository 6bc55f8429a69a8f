package dev.winnow.jobs.config;

import dev.winnow.kernels.engine.EngineOptions;
import java.io.Serializable;

/**
 * How a stage calls the proxy model (perplexity, IFD, pool embeddings): inputs from all subtasks of
 * a TaskManager are batched, by count and by time, into the calls of one shared model there; the
 * stage runs under Flink's async I/O operator, whose in-flight inputs are part of every checkpoint.
 */
public class ModelCalls implements Serializable {
  private static final long serialVersionUID = 1L;

  /** A model directory in Hugging Face layout, or {@code proxy-mini} (bundled). */
  public String model = "proxy-mini";

  /** Most inputs per model call. */
  public int batchSize = 16;

  /** Longest wait for a batch to fill after its first input arrived. */
  public long batchTimeoutMs = 20;

  /** CPU threads of the shared model; 0 = the number of cores. */
  public int threads = 0;

  /**
   * Arithmetic of the model's weight products: {@code auto} (bf16 on oneDNN where the CPU has AMX
   * or AVX512_BF16, else fp32), {@code fp32} or {@code bf16}. Pool embeddings are computed in fp32
   * whatever this says, so that a pool's vectors do not depend on the machine that indexed them.
   */
  public String precision = "auto";

  /** Inputs in flight per subtask (Flink async I/O capacity). */
  public int maxInFlight = 256;

  /**
   * An input not handled within this time fails the attempt (the job restarts from its last
   * checkpoint).
   */
  public long timeoutMs = 600_000;

  /** {@link #threads}, or the number of cores for 0. */
  public int effectiveThreads() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** The engine options of these calls: {@link #precision} on {@link #effectiveThreads} threads. */
  public EngineOptions engineOptions() {
    return EngineOptions.defaults()
        .withThreads(effectiveThreads())
        .withPrecision(EngineOptions.Precision.parse(precision));
  }

  /** Checks the fields of the section at {@code path} (e.g. {@code score}). */
  public void validate(ConfigChecks check, String path) {
    check.nonBlank(path + ".model", model);
    check.range(path + ".batchSize", batchSize, 1, 4096);
    check.range(path + ".batchTimeoutMs", batchTimeoutMs, 0, 60_000);
    check.range(path + ".threads", threads, 0, 1024);
    check.oneOf(path + ".precision", precision, "auto", "fp32", "bf16");
    check.range(path + ".maxInFlight", maxInFlight, 1, 1_000_000);
    check.range(path + ".timeoutMs", timeoutMs, 1_000, 86_400_000);
  }
}
