package dev.winnow.ingest.io;

import java.nio.file.Path;
import java.util.Locale;

/** The input formats {@link DocumentReader} reads, chosen by file name. */
public enum InputFormat {
  /**
   * One JSON document per line: {@code .jsonl}, {@code .ndjson}, {@code .jsonl.gz}, {@code
   * .json.gz}.
   */
  JSONL,
  /** Web archives: {@code .warc}, {@code .warc.gz}; {@code response} records with HTML payloads. */
  WARC,
  /** Common Crawl's extracted text: {@code .wet}, {@code .wet.gz}, {@code .warc.wet.gz}. */
  WET,
  /** Apache Parquet: {@code .parquet}; one document per row. */
  PARQUET,
  /** A saved web page: {@code .html}, {@code .htm}; one document of its main text. */
  HTML,
  /** Anything else: the whole file is one UTF-8 plain-text document. */
  TEXT;

  /** The format of {@code file}, by its name. */
  public static InputFormat of(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".wet") || n.endsWith(".wet.gz")) {
      return WET;
    }
    if (n.endsWith(".warc") || n.endsWith(".warc.gz")) {
      return WARC;
    }
    if (n.endsWith(".parquet")) {
      return PARQUET;
    }
    if (n.endsWith(".html") || n.endsWith(".htm")) {
      return HTML;
    }
    if (n.endsWith(".jsonl")
        || n.endsWith(".jsonl.gz")
        || n.endsWith(".json.gz")
        || n.endsWith(".ndjson")) {
      return JSONL;
    }
    return TEXT;
  }
}
