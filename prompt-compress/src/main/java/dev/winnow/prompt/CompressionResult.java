package dev.winnow.prompt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * What a compression returns: LLMLingua's result fields ({@code compressed_prompt}, {@code
 * origin_tokens}, {@code compressed_tokens} counted in {@code cl100k_base}, {@code ratio} and
 * {@code rate} formatted as there, {@code saving}) plus what Winnow adds: the method and mode used
 * and the wall time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompressionResult(
    @JsonProperty("compressed_prompt") String compressedPrompt,
    @JsonProperty("origin_tokens") int originTokens,
    @JsonProperty("compressed_tokens") int compressedTokens,
    @JsonProperty("ratio") String ratio,
    @JsonProperty("rate") String rate,
    @JsonProperty("saving") String saving,
    @JsonProperty("method") String method,
    @JsonProperty("mode") String mode,
    @JsonProperty("latency_ms") Double latencyMs) {

  /** Builds the reference's summary fields from the two token counts. */
  public static CompressionResult of(
      String compressedPrompt, int originTokens, int compressedTokens, String method, String mode) {
    double saving = (originTokens - compressedTokens) * 0.06 / 1000;
    double ratio = compressedTokens == 0 ? 1 : (double) originTokens / compressedTokens;
    double rate = 1 / ratio;
    return new CompressionResult(
        compressedPrompt,
        originTokens,
        compressedTokens,
        String.format(Locale.ROOT, "%.1fx", ratio),
        String.format(Locale.ROOT, "%.1f%%", rate * 100),
        String.format(Locale.ROOT, ", Saving $%.1f in GPT-4.", saving),
        method,
        mode,
        null);
  }

  public CompressionResult withLatency(double millis) {
    return new CompressionResult(
        compressedPrompt,
        originTokens,
        compressedTokens,
        ratio,
        rate,
        saving,
        method,
        mode,
        millis);
  }
}
