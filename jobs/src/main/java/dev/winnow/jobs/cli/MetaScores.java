package dev.winnow.jobs.cli;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.MetaPath;
import dev.winnow.jobs.models.BundledModels;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/** Reading scores that travel with a document in its meta, and counting its tokens for budgets. */
final class MetaScores {
  private MetaScores() {}

  /**
   * The number at {@code field} (a dotted path under meta, {@link MetaPath}), or null when absent,
   * null or not a number.
   */
  static Double number(Document d, String field) {
    Object top = d.meta().get(field);
    if (top instanceof Number n) {
      return n.doubleValue(); // a key with dots in its name, as written
    }
    return MetaPath.of(field).number(DocumentJson.mapper().valueToTree(d.meta()));
  }

  /**
   * Tokens of a document: {@code meta.<field>} when present, else counted with a tokenizer loaded
   * on first use.
   */
  static final class TokenCounter {
    private final String field;
    private final String model;
    private Tokenizer tokenizer;

    TokenCounter(String field, String model) {
      this.field = field;
      this.model = model;
    }

    long tokens(Document d) throws IOException {
      Double v = field == null ? null : number(d, field);
      if (v != null) {
        return Math.max(0, Math.round(v));
      }
      if (tokenizer == null) {
        Path dir = BundledModels.resolve(model);
        tokenizer =
            ModelLoader.loadTokenizer(dir, ModelConfig.read(dir.resolve(ModelLoader.CONFIG_FILE)));
      }
      return tokenizer.encode(d.text()).length;
    }
  }
}
