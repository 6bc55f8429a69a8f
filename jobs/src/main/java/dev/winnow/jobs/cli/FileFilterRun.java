package dev.winnow.jobs.cli;

import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.common.JsonlWriter;
import dev.winnow.jobs.common.RejectedRecord;
import dev.winnow.jobs.curation.filter.DocumentFilter;
import dev.winnow.jobs.kafka.RejectedSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file mode of the filter stages: each document of the inputs through the stages' {@link
 * DocumentFilter}s in order, exactly as the curation job applies them; kept documents (with their
 * {@code meta.winnow} annotations) to the output, rejected ones (with their {@code rejection}) to
 * the rejected file, malformed input lines to the reject file. Counts per rule are returned.
 */
final class FileFilterRun {
  /** What a run did. */
  record Summary(long documents, long kept, long malformed, Map<String, Long> rejectedByRule) {
    long rejected() {
      return rejectedByRule.values().stream().mapToLong(Long::longValue).sum();
    }

    String line(String command) {
      return String.format(
          "%s: %,d documents -> %,d kept, %,d rejected %s, %,d malformed lines",
          command, documents, kept, rejected(), rejectedByRule, malformed);
    }
  }

  private FileFilterRun() {}

  static Summary run(
      List<DocumentFilter> filters,
      List<Path> inputs,
      Path output,
      Path rejectedFile,
      Path malformedFile)
      throws IOException {
    for (DocumentFilter f : filters) {
      f.open();
    }
    long docs = 0;
    long kept = 0;
    long malformed = 0;
    Map<String, Long> byRule = new TreeMap<>();
    try (DocumentReader reader = new DocumentReader(inputs);
        JsonlWriter out = JsonlWriter.create(output);
        JsonlWriter rejected = JsonlWriter.rejects(rejectedFile);
        JsonlWriter bad = JsonlWriter.rejects(malformedFile)) {
      while (reader.hasNext()) {
        InputEntry e = reader.next();
        if (!e.ok()) {
          bad.reject(e);
          malformed++;
          continue;
        }
        docs++;
        DocRecord d = DocRecord.of(e.document(), e.location());
        RejectedRecord r = null;
        for (DocumentFilter f : filters) {
          r = f.apply(d);
          if (r != null) {
            break;
          }
        }
        if (r == null) {
          out.write(d.toJson());
          kept++;
        } else {
          rejected.write(RejectedSerializer.toJson(r));
          byRule.merge(r.stage + "/" + r.rule, 1L, Long::sum);
        }
      }
    }
    return new Summary(docs, kept, malformed, byRule);
  }

  /** {@code out.jsonl} → {@code out.<suffix>}; a {@code .gz} name keeps its compression. */
  static Path beside(Path output, String suffix) {
    String name = output.getFileName().toString();
    boolean gz = name.endsWith(".gz");
    String base = gz ? name.substring(0, name.length() - 3) : name;
    if (base.endsWith(".jsonl")) {
      base = base.substring(0, base.length() - ".jsonl".length());
    }
    return output.resolveSibling(base + suffix + (gz ? ".gz" : ""));
  }
}
