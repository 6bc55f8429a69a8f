package dev.winnow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where benchmarks find data and write figures, and a line describing the machine. */
public final class BenchEnv {
  private BenchEnv() {}

  /** {@code ../shared} beside the project (override with -Dwinnow.shared). */
  public static Path shared() {
    return Path.of(System.getProperty("winnow.shared", "../shared")).toAbsolutePath().normalize();
  }

  /**
   * {@code bench/results/<name>} under the project root (the working directory of {@code mvn -pl
   * bench exec:java}).
   */
  public static Path result(String name) throws IOException {
    Path dir = Path.of(System.getProperty("winnow.results", "bench/results"));
    Files.createDirectories(dir);
    return dir.resolve(name);
  }

  /** The non-blank lines of a gzipped JSON-lines file (a corpus of {@code ../shared}), parsed. */
  public static java.util.List<com.fasterxml.jackson.databind.JsonNode> jsonLines(Path gz)
      throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.List<com.fasterxml.jackson.databind.JsonNode> out = new java.util.ArrayList<>();
    try (java.io.BufferedReader in =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                new java.util.zip.GZIPInputStream(Files.newInputStream(gz)),
                java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.isBlank()) {
          out.add(json.readTree(line));
        }
      }
    }
    return out;
  }

  /** The system's one-minute load average (negative where the platform has none). */
  public static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  public static String machine() {
    Runtime rt = Runtime.getRuntime();
    String cpu = "unknown CPU";
    try {
      cpu =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .findFirst()
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .orElse(cpu);
    } catch (IOException ignored) {
      // not Linux: keep the generic label
    }
    return String.format(
        "%d cores (%s), max heap %.1f GiB, Java %s",
        rt.availableProcessors(),
        cpu,
        rt.maxMemory() / (1024.0 * 1024 * 1024),
        System.getProperty("java.version"));
  }
}
