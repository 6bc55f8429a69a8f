package dev.winnow.jobs.cli;

import dev.winnow.kernels.engine.EngineOptions;
import picocli.CommandLine.Option;

/** {@code --precision auto|fp32|bf16}: a picocli mixin of the commands that load a proxy model. */
public final class PrecisionOption {
  @Option(
      names = "--precision",
      defaultValue = "auto",
      description =
          "Arithmetic of the model's weight products: auto (bf16 on oneDNN where the CPU has AMX"
              + " or AVX512_BF16, else fp32), fp32 or bf16 (default: ${DEFAULT-VALUE}).")
  String precision;

  /** The parsed value; throws naming the allowed values for anything else. */
  public EngineOptions.Precision value() {
    return EngineOptions.Precision.parse(precision);
  }

  /** The option's text, for a config section's {@code precision} field. */
  public String text() {
    value();
    return precision.toLowerCase(java.util.Locale.ROOT);
  }
}
