package dev.winnow.kernels.engine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How {@link ScoringEngines#open} builds an engine: the device, the arithmetic precision, the
 * thread budget and (on the CPU) the matrix-product backend. Immutable; start from {@link
 * #defaults()} and change what differs:
 *
 * <pre>{@code
 * EngineOptions options = EngineOptions.defaults().withThreads(2).withBackend(EngineOptions.Backend.JAVA);
 * }</pre>
 *
 * <p>These are requests: {@code AUTO} values are resolved by the factory for this machine (bf16 on
 * oneDNN where the CPU has AMX or AVX512_BF16 and the library loads, else fp32 on OpenBLAS or
 * Java), and a value that cannot run here ({@code cuda}; {@code bf16} without oneDNN; {@code
 * onednn} in fp32) is refused there with a message saying so, not silently replaced.
 *
 * @param device where the forward pass runs
 * @param precision arithmetic of the weight products
 * @param threads the whole thread budget (Java workers and native libraries together), at least 1
 * @param backend the CPU engine's matrix-product implementation
 */
public record EngineOptions(Device device, Precision precision, int threads, Backend backend) {

  /** Where the forward pass runs. */
  public enum Device {
    CPU,
    CUDA;

    /** {@code "cpu"} or {@code "cuda"}, case-insensitive. */
    public static Device parse(String value) {
      return parseEnum(Device.class, "device", value);
    }
  }

  /**
   * Arithmetic of the weight products; {@code AUTO} = the fastest the machine and backend support
   * exactly enough.
   */
  public enum Precision {
    AUTO,
    FP32,
    BF16;

    /** {@code "auto"}, {@code "fp32"} or {@code "bf16"}, case-insensitive. */
    public static Precision parse(String value) {
      return parseEnum(Precision.class, "precision", value);
    }
  }

  /** The CPU engine's matrix products; {@code AUTO} = the fastest that loads on this machine. */
  public enum Backend {
    AUTO,
    JAVA,
    OPENBLAS,
    ONEDNN;

    /** {@code "auto"}, {@code "java"}, {@code "openblas"} or {@code "onednn"}, case-insensitive. */
    public static Backend parse(String value) {
      return parseEnum(Backend.class, "matrix backend", value);
    }
  }

  public EngineOptions {
    if (device == null || precision == null || backend == null) {
      throw new IllegalArgumentException(
          "device, precision and backend must not be null (use AUTO to let the "
              + "engine choose): got device "
              + device
              + ", precision "
              + precision
              + ", backend "
              + backend);
    }
    if (threads < 1) {
      throw new IllegalArgumentException(
          "illegal thread count " + threads + ": must be at least 1");
    }
  }

  /** CPU, precision and backend {@code AUTO}, one thread per available core. */
  public static EngineOptions defaults() {
    return new EngineOptions(
        Device.CPU, Precision.AUTO, Runtime.getRuntime().availableProcessors(), Backend.AUTO);
  }

  public EngineOptions withDevice(Device device) {
    return new EngineOptions(device, precision, threads, backend);
  }

  public EngineOptions withPrecision(Precision precision) {
    return new EngineOptions(device, precision, threads, backend);
  }

  public EngineOptions withThreads(int threads) {
    return new EngineOptions(device, precision, threads, backend);
  }

  public EngineOptions withBackend(Backend backend) {
    return new EngineOptions(device, precision, threads, backend);
  }

  /**
   * Options as the command line writes them, e.g. {@code device=cpu precision=auto threads=2
   * backend=auto}.
   */
  @Override
  public String toString() {
    return "device="
        + id(device)
        + " precision="
        + id(precision)
        + " threads="
        + threads
        + " backend="
        + id(backend);
  }

  static String id(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String what, String value) {
    if (value != null) {
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(value.trim())) {
          return e;
        }
      }
    }
    throw new IllegalArgumentException(
        "illegal "
            + what
            + " '"
            + value
            + "': must be one of "
            + Arrays.stream(type.getEnumConstants())
                .map(EngineOptions::id)
                .collect(Collectors.joining(", ")));
  }
}
