package dev.winnow.prompt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.prompt.llmlingua.LlmLingua;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.selective.SelectiveContext;
import java.util.stream.Collectors;

/**
 * The entry point of prompt compression: parses and validates a request, runs the method it names
 * in the mode it asks for (or the default mode), and times it. Thread-safe when the engine is.
 *
 * <pre>{@code
 * try (ProxyLm lm = ProxyLm.loadCpu(modelDir, threads)) {
 *     PromptCompressor compressor = new PromptCompressor(lm, CompressionMode.WORDS);
 *     CompressionResult result = compressor.compress(PromptCompressor.parse(json));
 * }
 * }</pre>
 */
public final class PromptCompressor {
  /** The request/response mapper: unknown request fields are an error, not silently ignored. */
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final ProxyLm lm;
  private final CompressionMode defaultMode;
  private final LlmLingua llmLingua;

  /** LLMLingua on {@link ProxyLm#forCompat}: the same as {@link #llmLingua} on an fp32 model. */
  private volatile LlmLingua compatLingua;

  private final SelectiveContext selectiveContext;

  public PromptCompressor(ProxyLm lm, CompressionMode defaultMode) {
    this.lm = lm;
    this.defaultMode = defaultMode;
    this.llmLingua = new LlmLingua(lm);
    this.selectiveContext = new SelectiveContext(lm);
  }

  /** LLMLingua on an fp32 model, for compat mode (see {@link ProxyLm#forCompat}). */
  private LlmLingua compat() {
    LlmLingua c = compatLingua;
    if (c == null) {
      ProxyLm fp32 = lm.forCompat();
      c = fp32 == lm ? llmLingua : new LlmLingua(fp32);
      compatLingua = c;
    }
    return c;
  }

  public ProxyLm model() {
    return lm;
  }

  /**
   * Reads a request from JSON; a malformed document or a wrong field type names the field and the
   * position.
   */
  public static CompressionRequest parse(String json) {
    try {
      return MAPPER.readValue(json, CompressionRequest.class);
    } catch (JsonMappingException e) {
      String field =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      throw new InvalidRequestException(
          field.isEmpty() ? "request" : field, e.getOriginalMessage() + location(e));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          "request", "not valid JSON: " + e.getOriginalMessage() + location(e));
    }
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  /** Validates and compresses. */
  public CompressionResult compress(CompressionRequest request) {
    request.validate();
    CompressionMode mode = request.mode == null ? defaultMode : CompressionMode.parse(request.mode);
    long t0 = System.nanoTime();
    CompressionResult result;
    switch (request.method) {
      case "llmlingua":
        result = (mode == CompressionMode.COMPAT ? compat() : llmLingua).compress(request, mode);
        break;
      case "selective_context":
        if (request.mode != null && mode == CompressionMode.COMPAT) {
          throw new InvalidRequestException(
              "mode",
              "compat reproduces LLMLingua; Selective Context has "
                  + "no reference output to reproduce and always runs in words mode (leave mode unset or use words)");
        }
        result = selectiveContext.compress(request);
        break;
      default:
        throw new InvalidRequestException("method", "unsupported value \"" + request.method + "\"");
    }
    return result.withLatency((System.nanoTime() - t0) / 1e6);
  }
}
