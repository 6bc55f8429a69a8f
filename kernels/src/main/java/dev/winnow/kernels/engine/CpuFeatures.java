package dev.winnow.kernels.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The CPU's instruction-set extensions that decide precision, from {@code /proc/cpuinfo} (Linux).
 */
final class CpuFeatures {
  private static final List<String> RELEVANT =
      List.of("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16");

  private CpuFeatures() {}

  /**
   * Whether the CPU has bf16 dot products in hardware (AMX-BF16 or AVX512_BF16), which {@code auto}
   * precision needs to choose bf16.
   */
  static boolean hasBf16() {
    Set<String> flags = flags();
    return flags != null && (flags.contains("amx_bf16") || flags.contains("avx512_bf16"));
  }

  /** E.g. {@code "avx2 fma avx512f avx512_bf16 amx_bf16"}, or why it is unknown. */
  static String bf16Summary() {
    Set<String> flags = flags();
    if (flags == null) {
      return "features unknown (no /proc/cpuinfo)";
    }
    Set<String> present = new TreeSet<>();
    for (String f : RELEVANT) {
      if (flags.contains(f)) {
        present.add(f);
      }
    }
    return present.isEmpty() ? "has none of " + RELEVANT : "has " + String.join(" ", present);
  }

  private static Set<String> flags() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return null;
    }
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("flags")) {
          return new java.util.HashSet<>(
              List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }
}
