package dev.winnow.jobs.cli;

import dev.winnow.jobs.models.BundledModels;
import dev.winnow.prompt.CompressionMode;
import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.model.ProxyLm;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "compress",
    mixinStandardHelpOptions = true,
    description = {
      "Compress one prompt with LLMLingua / LongLLMLingua / Selective Context. Reads a JSON request "
          + "({\"context\": [..], \"instruction\": \"..\", \"question\": \"..\", \"rate\": 0.5, ...}, every parameter under "
          + "LLMLingua's name; see prompt-compress/README.md) from standard input or --input, writes the JSON result "
          + "({\"compressed_prompt\", \"origin_tokens\", \"compressed_tokens\", \"ratio\", \"rate\", ...}) to standard output."
    })
public final class CompressCommand implements Callable<Integer> {
  @Option(
      names = "--model",
      defaultValue = BundledModels.PROXY_MINI,
      description =
          "Small model directory in Hugging Face layout, or the bundled proxy-mini (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--mode",
      defaultValue = "words",
      description =
          "compat (LLMLingua v0.2.2's exact output) or words (whole words only, budget met); "
              + "a request's own \"mode\" wins (default: ${DEFAULT-VALUE}).")
  String mode;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description = "cpu or cuda (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(names = "--input", description = "Request file (default: standard input).")
  Path input;

  @Option(names = "--output", description = "Result file (default: standard output).")
  Path output;

  @Option(
      names = "--threads",
      description = "CPU threads for the forward pass (default: number of cores).")
  Integer threads;

  @Mixin PrecisionOption precision;

  @Option(names = "--pretty", description = "Indent the JSON result.")
  boolean pretty;

  @Override
  public Integer call() throws Exception {
    CompressionMode defaultMode = CompressionMode.parse(mode);
    if (!"cpu".equals(device)) {
      if ("cuda".equals(device)) {
        throw new IllegalArgumentException(
            "--device cuda: this build has no CUDA scoring engine yet; use --device cpu");
      }
      throw new IllegalArgumentException(
          "--device: illegal value \"" + device + "\": must be cpu or cuda");
    }
    String json =
        input == null
            ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
            : Files.readString(input, StandardCharsets.UTF_8);
    if (json.isBlank()) {
      throw new IllegalArgumentException(
          (input == null ? "standard input" : input.toString())
              + ": empty; expected one JSON request such as {\"context\": [\"...\"], \"rate\": 0.5}");
    }
    CompressionRequest request = PromptCompressor.parse(json);
    int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
    try (ProxyLm lm = ProxyLm.loadCpu(BundledModels.resolve(model), t, precision.value())) {
      CompressionResult result = new PromptCompressor(lm, defaultMode).compress(request);
      String text =
          pretty
              ? PromptCompressor.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result)
              : PromptCompressor.MAPPER.writeValueAsString(result);
      if (output != null) {
        Files.writeString(output, text + "\n", StandardCharsets.UTF_8);
      } else {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.println(text);
      }
    }
    return 0;
  }
}
