package dev.winnow.ingest.io;

import dev.winnow.ingest.Document;

/**
 * One entry read from an input: a JSONL line, a WARC record, a Parquet row or a plain text file.
 *
 * @param index position of the entry in the whole input sequence (0-based), used by {@code
 *     --resume}
 * @param location where it was read, e.g. {@code corpus.jsonl.gz:1234}, {@code crawl.warc.gz@40960}
 *     (byte offset), {@code shard.parquet:row 17} or {@code docs/a.txt}
 * @param bytes size of the raw entry in bytes
 * @param document the parsed document, or null when {@code error} is set
 * @param error why the entry is not a document, or null
 */
public record InputEntry(long index, String location, long bytes, Document document, String error) {
  public boolean ok() {
    return error == null;
  }
}
