package dev.winnow.jobs.curation.dedup;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentFormatException;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.config.KafkaSection;
import dev.winnow.jobs.kafka.TopicReader;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference documents of a curation run ({@code reference.topic}, {@code reference.files}),
 * pinned when the job is built: files must exist then, and the topic is read later only up to the
 * end offsets (read_committed) it had then. A restart of the job therefore reads exactly the same
 * reference documents, even when the topic is the job's own {@code curated} output and has grown
 * since. Serializable: it travels with the functions that read it in their {@code open()}.
 *
 * <pre>{@code
 * ReferenceSet refs = cfg.pinReference();          // null when cfg.reference is empty
 * ReferenceSet.Loaded n = refs.forEach(doc -> index(doc.id(), doc.text()));
 * }</pre>
 */
public final class ReferenceSet implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReferenceSet.class);

  /**
   * What one pass over the reference set read: documents handed on, and records that were not
   * documents.
   */
  public record Loaded(long documents, long undecodable) {}

  private final List<String> files;
  private final String bootstrap;
  private final String topic;
  private final Map<String, String> clientProperties;

  /** Partition → end offset to read up to (exclusive). */
  private final TreeMap<Integer, Long> endOffsets;

  ReferenceSet(
      List<String> files,
      String bootstrap,
      String topic,
      Map<String, String> clientProperties,
      Map<Integer, Long> endOffsets) {
    this.files = List.copyOf(files);
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.clientProperties = new LinkedHashMap<>(clientProperties);
    this.endOffsets = new TreeMap<>(endOffsets);
  }

  /**
   * Checks that every reference file exists and pins the reference topic's current end offsets;
   * null when the config names no reference.
   *
   * @throws IllegalArgumentException naming the missing file or the topic (and the bootstrap
   *     servers) that cannot be read
   */
  public static ReferenceSet pin(ReferenceSection ref, KafkaSection kafka) {
    if (ref == null || !ref.configured()) {
      return null;
    }
    for (int i = 0; i < ref.files.size(); i++) {
      Path f = Path.of(ref.files.get(i));
      if (!Files.isReadable(f)) {
        throw new IllegalArgumentException(
            "reference.files["
                + i
                + "]: "
                + f.toAbsolutePath()
                + (Files.exists(f) ? " is not readable" : " does not exist")
                + " (a JSONL or JSONL.gz file or a directory of them)");
      }
    }
    Map<Integer, Long> ends = new TreeMap<>();
    if (ref.topic != null) {
      ends = pinEndOffsets(kafka.bootstrap, ref.topic, kafka.properties);
    }
    return new ReferenceSet(ref.files, kafka.bootstrap, ref.topic, kafka.properties, ends);
  }

  /** Reference files, as configured. */
  public List<String> files() {
    return files;
  }

  /** The reference topic, or null. */
  public String topic() {
    return topic;
  }

  /**
   * End offsets (exclusive) of the reference topic's partitions as pinned; empty without a topic.
   */
  public Map<Integer, Long> endOffsets() {
    return java.util.Collections.unmodifiableMap(endOffsets);
  }

  /**
   * Hands every reference document to {@code action}: the files in order, then the topic partition
   * by partition up to the pinned offsets. Lines or records that are not documents are skipped,
   * logged and counted.
   *
   * @throws UncheckedIOException naming the file that cannot be read
   * @throws IllegalStateException naming the topic when it cannot be read to its pinned end
   */
  public Loaded forEach(Consumer<Document> action) {
    long docs = 0;
    long bad = 0;
    if (!files.isEmpty()) {
      List<Path> paths = new ArrayList<>();
      files.forEach(f -> paths.add(Path.of(f)));
      try (DocumentReader reader = new DocumentReader(paths)) {
        while (reader.hasNext()) {
          InputEntry e = reader.next();
          if (e.ok()) {
            action.accept(e.document());
            docs++;
          } else {
            bad++;
            if (bad <= 10) {
              LOG.warn("reference {}: skipped, not a document: {}", e.location(), e.error());
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read reference files " + files + ": " + e.getMessage(), e);
      } catch (UncheckedIOException e) {
        throw new UncheckedIOException(
            "cannot read reference files " + files + ": " + e.getMessage(), e.getCause());
      }
    }
    if (topic != null) {
      long[] counts = readTopic(action);
      docs += counts[0];
      bad += counts[1];
    }
    return new Loaded(docs, bad);
  }

  private long[] readTopic(Consumer<Document> action) {
    long[] counts = new long[2];
    try {
      TopicReader.read(
          bootstrap,
          clientProperties,
          topic,
          endOffsets,
          r -> {
            Document d;
            try {
              d = DocumentJson.parse(r.value());
            } catch (DocumentFormatException | RuntimeException e) {
              if (++counts[1] <= 10) {
                LOG.warn(
                    "reference topic {} partition {} offset {}: skipped, not a document: {}",
                    topic,
                    r.partition(),
                    r.offset(),
                    e.getMessage());
              }
              return;
            }
            action.accept(d);
            counts[0]++;
          });
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          "cannot read reference topic "
              + topic
              + " to the end offsets pinned at job start: "
              + e.getMessage(),
          e);
    }
    return counts;
  }

  private static Map<Integer, Long> pinEndOffsets(
      String bootstrap, String topic, Map<String, String> props) {
    try {
      return TopicReader.endOffsets(bootstrap, props, topic);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("reference.topic: " + e.getMessage(), e);
    }
  }
}
