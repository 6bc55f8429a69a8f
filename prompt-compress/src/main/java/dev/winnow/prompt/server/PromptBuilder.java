package dev.winnow.prompt.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.CompressionRequest;
import dev.winnow.prompt.CompressionResult;
import dev.winnow.prompt.InvalidRequestException;
import dev.winnow.prompt.PromptCompressor;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationPool;
import dev.winnow.prompt.pool.DemonstrationSelector;
import dev.winnow.prompt.pool.SelectedDemonstration;
import dev.winnow.prompt.pool.SelectionRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * {@code POST /v1/prompts/build}: selects demonstrations from a pool, puts the instruction first,
 * the demonstrations and the extra context after it and the query last, and compresses all but the
 * instruction and the query (or, with {@code compress: false}, only joins them with blank lines).
 *
 * <p>In two steps, so that a bad request is refused before it takes a worker: {@link #plan} checks
 * the request (400 naming the field; compression fields are prefixed {@code compression.}), {@link
 * #build} does the model work.
 */
final class PromptBuilder {
  /**
   * A checked build request: the selection, the extra context, and the compression with a
   * placeholder context.
   */
  record Plan(
      BuildRequest request,
      SelectionRequest selection,
      List<String> extra,
      String question,
      CompressionRequest compression) {
    String pool() {
      return request.pool;
    }
  }

  private final PromptCompressor compressor;
  private final ToIntFunction<String> promptTokens;
  private final EmbeddingBatcher embeddings;
  private final Consumer<CompressionResult> compressed;

  /**
   * @param promptTokens the tokens of a prompt in the encoding results are counted in ({@code
   *     cl100k_base})
   * @param compressed told of every compression (metrics)
   */
  PromptBuilder(
      PromptCompressor compressor,
      ToIntFunction<String> promptTokens,
      EmbeddingBatcher embeddings,
      Consumer<CompressionResult> compressed) {
    this.compressor = compressor;
    this.promptTokens = promptTokens;
    this.embeddings = embeddings;
    this.compressed = compressed;
  }

  /** Checks {@code request}; throws {@link InvalidRequestException} naming the first bad field. */
  Plan plan(BuildRequest request) throws Exception {
    if (request.pool == null) {
      throw new InvalidRequestException(
          "pool", "required: the name of the pool to select demonstrations from");
    }
    SelectionRequest selection = request.selection().validate();
    if (request.instruction == null) {
      throw new InvalidRequestException(
          "instruction", "must be a string (\"\" for none), not null");
    }
    List<String> extra = request.context == null ? List.of() : request.context;
    for (int i = 0; i < extra.size(); i++) {
      if (extra.get(i) == null || extra.get(i).isEmpty()) {
        throw new InvalidRequestException(
            "context[" + i + "]", "is null or empty; remove it or give it text");
      }
    }
    ObjectNode compression =
        request.compression == null
            ? ApiJson.MAPPER.createObjectNode()
            : request.compression.deepCopy();
    for (String f : List.of("context", "instruction", "question")) {
      if (compression.has(f)) {
        throw new InvalidRequestException(
            "compression." + f,
            "is filled in by the build; give it at the top level "
                + "(\"instruction\", \"query\", \"context\")");
      }
    }
    String question = Demonstration.renderQuery(request.query);
    compression.set("context", ApiJson.MAPPER.createArrayNode().add("placeholder"));
    compression.put("instruction", request.instruction);
    compression.put("question", question);
    CompressionRequest check =
        inCompression(() -> PromptCompressor.parse(compression.toString()).validate());
    return new Plan(request, selection, extra, question, check);
  }

  /**
   * Selects from {@code pool} and builds the prompt of {@code plan}: the response body but its
   * latency.
   */
  ObjectNode build(Plan plan, DemonstrationPool pool) throws Exception {
    List<SelectedDemonstration> selected =
        DemonstrationSelector.select(pool, plan.selection(), embeddings.queryEmbedder(pool));
    List<String> contexts = new ArrayList<>();
    selected.forEach(d -> contexts.add(d.demonstration().render()));
    contexts.addAll(plan.extra());
    ObjectNode o = ApiJson.MAPPER.createObjectNode();
    o.set("demonstrations", ApiJson.MAPPER.valueToTree(selected));
    if (plan.request().compress && !contexts.isEmpty()) {
      CompressionRequest request = plan.compression();
      request.context = contexts;
      CompressionResult result = inCompression(() -> compressor.compress(request));
      compressed.accept(result);
      o.put("prompt", result.compressedPrompt());
      o.put("origin_tokens", result.originTokens());
      o.put("compressed_tokens", result.compressedTokens());
      o.put("ratio", result.ratio());
      o.set("compression", ApiJson.MAPPER.valueToTree(result));
    } else {
      List<String> parts = new ArrayList<>();
      if (!plan.request().instruction.isEmpty()) {
        parts.add(plan.request().instruction);
      }
      parts.addAll(contexts);
      parts.add(plan.question());
      String prompt = String.join("\n\n", parts);
      int tokens = promptTokens.applyAsInt(prompt);
      o.put("prompt", prompt);
      o.put("origin_tokens", tokens);
      o.put("compressed_tokens", tokens);
      o.put("ratio", "1.0x");
    }
    return o;
  }

  private interface Step<T> {
    T run() throws Exception;
  }

  /** Runs {@code step}, putting {@code compression.} before the field of a bad-request error. */
  private static <T> T inCompression(Step<T> step) throws Exception {
    try {
      return step.run();
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(
          "compression." + e.field(), e.getMessage().substring(e.field().length() + 2));
    }
  }
}
