package dev.winnow.selection.dedup.minhash;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Near-duplicate removal over a sequence of documents, for {@code winnow dedup} (users without
 * Kafka). JSON reading and writing stay with the caller: this takes the documents as an iterator of
 * any type with accessors for id and text, and hands each document back with its {@link Decision}.
 *
 * <p>Guarantees: documents are decided in input order, and every input document produces exactly
 * one callback, kept or not ({@link Decision#asFields()} gives the {@code "dedup"} object).
 *
 * <pre>{@code
 * FileDeduplicator dedup = new FileDeduplicator(MinHashConfig.ofPreset("nemo"));
 * FileDeduplicator.Summary s = dedup.run(docs, Doc::id, Doc::text,
 *         (doc, decision) -> writer.write(doc.withField("dedup", decision.asFields())));
 * }</pre>
 */
public final class FileDeduplicator {

  /** What a run did; {@code documents = kept + duplicates}. */
  public record Summary(
      long documents,
      long kept,
      long duplicates,
      long tooShort,
      long references,
      double stateBytesPerKeptDocument,
      long elapsedNanos) {

    /** Documents per second over the run. */
    public double documentsPerSecond() {
      return elapsedNanos == 0 ? 0 : documents * 1e9 / elapsedNanos;
    }
  }

  private final NearDuplicateIndex index;

  public FileDeduplicator(MinHashConfig config) {
    this.index = new NearDuplicateIndex(config);
  }

  /**
   * Indexes a reference corpus first: later documents near one of these are duplicates of it.
   * Reference documents produce no decision.
   */
  public <D> void addReferences(
      Iterator<D> references, Function<D, String> id, Function<D, String> text) {
    while (references.hasNext()) {
      D doc = references.next();
      index.addReference(requireId(id.apply(doc)), Objects.requireNonNullElse(text.apply(doc), ""));
    }
  }

  /**
   * Decides on every document in order, calling {@code sink} once per document.
   *
   * @throws IllegalArgumentException for a document without id (text may be null: it counts as
   *     empty)
   */
  public <D> Summary run(
      Iterator<D> documents,
      Function<D, String> id,
      Function<D, String> text,
      BiConsumer<? super D, Decision> sink) {
    long start = System.nanoTime();
    long n = 0;
    long kept = 0;
    long tooShort = 0;
    while (documents.hasNext()) {
      D doc = documents.next();
      n++;
      Decision d =
          index.offer(requireId(id.apply(doc)), Objects.requireNonNullElse(text.apply(doc), ""));
      kept += d.kept() ? 1 : 0;
      tooShort += d.tooShort() ? 1 : 0;
      sink.accept(doc, d);
    }
    return new Summary(
        n,
        kept,
        n - kept,
        tooShort,
        index.stats().references(),
        index.stateBytesPerKeptDocument(),
        System.nanoTime() - start);
  }

  /** Counters of the underlying index (buckets, evictions, similarity checks). */
  public NearDuplicateIndex.Stats stats() {
    return index.stats();
  }

  private static String requireId(String id) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(
          "a document has no id: every input document needs a non-empty \"id\" "
              + "so that duplicates can name the document they duplicate");
    }
    return id;
  }
}
