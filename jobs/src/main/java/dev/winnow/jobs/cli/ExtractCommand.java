package dev.winnow.jobs.cli;

import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.io.ReadOptions;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.common.JsonlWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Run only the reading and extraction: WARC (HTML main text), WET, Parquet, JSONL or text files in, "
          + "documents in the wire format out (JSONL, .gz compressed when the name ends in .gz), to look at "
          + "what the extractor produces. Entries that are no document go to the reject file with their "
          + "location and reason."
    })
public final class ExtractCommand implements Callable<Integer> {
  @Option(
      names = "--input",
      required = true,
      arity = "1..*",
      description =
          "Input files or directories (.warc[.gz], .warc.wet.gz, .parquet, .jsonl[.gz], text).")
  List<Path> inputs;

  @Option(names = "--output", required = true, description = "Documents out (JSONL, or .jsonl.gz).")
  Path output;

  @Option(
      names = "--reject-file",
      description = "Entries that are no document (default: <output>.rejects.jsonl).")
  Path rejectFile;

  @Option(
      names = "--text-column",
      defaultValue = "text",
      description = "The Parquet column holding the text (default: ${DEFAULT-VALUE}).")
  String textColumn;

  @Override
  public Integer call() throws Exception {
    Path rejects =
        rejectFile != null
            ? rejectFile
            : output.resolveSibling(
                output.getFileName().toString().replaceAll("\\.jsonl(\\.gz)?$", "")
                    + ".rejects.jsonl");
    long docs = 0;
    long chars = 0;
    Map<String, Long> reasons = new TreeMap<>();
    long t0 = System.nanoTime();
    try (DocumentReader reader = new DocumentReader(inputs, new ReadOptions(textColumn));
        JsonlWriter out = JsonlWriter.create(output);
        JsonlWriter rej = JsonlWriter.rejects(rejects)) {
      while (reader.hasNext()) {
        InputEntry e = reader.next();
        if (e.ok()) {
          out.write(DocumentJson.toTree(e.document()));
          docs++;
          chars += e.document().text().length();
        } else {
          rej.reject(e);
          reasons.merge(reasonClass(e.error()), 1L, Long::sum);
        }
      }
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long rejected = reasons.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf(
        "%,d documents (%,d characters of text) to %s; %,d entries rejected%s%n",
        docs, chars, output, rejected, rejected > 0 ? " to " + rejects : "");
    reasons.forEach((r, n) -> System.out.printf("  %-60s %,8d%n", r, n));
    System.out.printf("%.1f s, %,.0f entries/s%n", secs, secs > 0 ? (docs + rejected) / secs : 0);
    return 0;
  }

  /** The reason without its specifics (numbers, names after a colon), to group rejects. */
  static String reasonClass(String reason) {
    int colon = reason.indexOf(':');
    String head = colon > 0 ? reason.substring(0, colon) : reason;
    return head.replaceAll("[0-9][0-9,]*", "N");
  }
}
