package dev.winnow.kernels.cpu;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time per part of a forward pass and head call, summed over calls, when {@code
 * -Dwinnow.kernels.profile=true} (off by default: then {@link #ON} is a constant false and the
 * timing calls compile away). The parts are timed on the calling thread around each parallel
 * section, so they add up to the call's wall time (less the small bookkeeping between them).
 */
final class PassProfile {
  static final boolean ON = Boolean.getBoolean("winnow.kernels.profile");

  enum Part {
    EMBED,
    NORM,
    QKV,
    ROPE,
    KV_PUT,
    ATTENTION,
    OUT_PROJ,
    UP,
    ACTIVATION,
    DOWN,
    HEAD_PRODUCT,
    HEAD_SOFTMAX
  }

  private static final LongAdder[] NANOS = new LongAdder[Part.values().length];

  static {
    for (int i = 0; i < NANOS.length; i++) {
      NANOS[i] = new LongAdder();
    }
  }

  private PassProfile() {}

  /** {@code System.nanoTime()} when profiling, else 0. */
  static long start() {
    return ON ? System.nanoTime() : 0L;
  }

  /** Adds the time since {@code start} to {@code part}; returns the new start. */
  static long lap(Part part, long start) {
    if (!ON) {
      return 0L;
    }
    long now = System.nanoTime();
    NANOS[part.ordinal()].add(now - start);
    return now;
  }

  static void reset() {
    for (LongAdder a : NANOS) {
      a.reset();
    }
  }

  /** One line per part: ms in all and its share of the total. */
  static String report(int calls) {
    long total = 0;
    for (LongAdder a : NANOS) {
      total += a.sum();
    }
    StringBuilder sb = new StringBuilder();
    for (Part p : Part.values()) {
      long ns = NANOS[p.ordinal()].sum();
      sb.append(
          String.format(
              Locale.ROOT,
              "%-13s %8.1f ms/call %5.1f%%%n",
              p.name().toLowerCase(Locale.ROOT),
              ns / 1e6 / Math.max(1, calls),
              total == 0 ? 0 : 100.0 * ns / total));
    }
    sb.append(
        String.format(
            Locale.ROOT, "%-13s %8.1f ms/call%n", "total", total / 1e6 / Math.max(1, calls)));
    return sb.toString();
  }
}
