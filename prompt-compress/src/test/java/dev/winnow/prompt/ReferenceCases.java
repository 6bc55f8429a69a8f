package dev.winnow.prompt;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.prompt.model.ProxyLm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test access to ../shared: the LLMLingua reference cases and the proxy models. */
public final class ReferenceCases {
  public static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ReferenceCases() {}

  public static Path shared() {
    String prop = System.getProperty("winnow.shared");
    if (prop == null) {
      throw new IllegalStateException(
          "system property winnow.shared is not set (the parent pom sets it)");
    }
    return Path.of(prop);
  }

  private static ProxyLm sharedProxyMini;

  /**
   * proxy-mini on the CPU engine, loaded once per test JVM: each call returns a view that does not
   * own the engine, so a test class's {@code close()} leaves it for the next class.
   */
  public static synchronized ProxyLm proxyMini() {
    if (sharedProxyMini == null) {
      sharedProxyMini =
          ProxyLm.loadCpu(
              shared().resolve("models/proxy-mini"), Runtime.getRuntime().availableProcessors());
    }
    return new ProxyLm(sharedProxyMini.engine(), sharedProxyMini.tokenizer(), false);
  }

  /** One reference call: the request (with its non-default kwargs) and LLMLingua's result. */
  public record Case(int index, CompressionRequest request, JsonNode result, JsonNode raw) {
    public String expectedPrompt() {
      return result.get("compressed_prompt").asText();
    }

    public String label() {
      return "case " + index + " " + raw.get("kwargs");
    }
  }

  public static List<Case> load() {
    try {
      JsonNode root = MAPPER.readTree(shared().resolve("reference/llmlingua/cases.json").toFile());
      List<Case> cases = new ArrayList<>();
      int i = 0;
      for (JsonNode c : root.get("cases")) {
        var node = MAPPER.createObjectNode();
        node.set("context", c.get("context"));
        node.set("instruction", c.get("instruction"));
        node.set("question", c.get("question"));
        c.get("kwargs").fields().forEachRemaining(e -> node.set(e.getKey(), e.getValue()));
        CompressionRequest request = MAPPER.treeToValue(node, CompressionRequest.class);
        cases.add(new Case(i++, request, c.get("result"), c));
      }
      return cases;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the LLMLingua reference cases", e);
    }
  }

  /** A readable diff: where the two strings part, with context from both. */
  public static String diff(String expected, String actual) {
    int i = 0;
    int n = Math.min(expected.length(), actual.length());
    while (i < n && expected.charAt(i) == actual.charAt(i)) {
      i++;
    }
    if (i == n && expected.length() == actual.length()) {
      return "identical";
    }
    int from = Math.max(0, i - 80);
    return "first difference at char "
        + i
        + " (expected "
        + expected.length()
        + " chars, got "
        + actual.length()
        + ")\n  expected: …"
        + show(expected, from, i + 80)
        + "\n  actual:   …"
        + show(actual, from, i + 80)
        + "\n  "
        + " ".repeat(12 + i - from)
        + "^";
  }

  private static String show(String s, int from, int to) {
    return s.substring(Math.min(from, s.length()), Math.min(to, s.length())).replace("\n", "⏎");
  }
}
