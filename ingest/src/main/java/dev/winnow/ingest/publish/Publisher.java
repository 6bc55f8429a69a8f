package dev.winnow.ingest.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import dev.winnow.ingest.io.DocumentReader;
import dev.winnow.ingest.io.InputEntry;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes documents from files to a Kafka topic, keyed by document id, exactly once across
 * interruptions.
 *
 * <p>How: a transactional producer ({@code acks=all}, idempotence, zstd, 20 ms linger, 256 KiB
 * batches) sends the documents of every {@link PublishOptions#transactionEntries()} input entries
 * in one transaction together with one progress record on a compacted state topic saying how many
 * input entries are done. A transaction commits both or neither, so after a crash {@code --resume}
 * reads the last committed progress record (read_committed) and continues at exactly the next
 * entry: nothing lost, nothing twice for consumers that read committed data (as the curation job
 * does). The transactional id is derived from the topic and inputs, so a resumed run fences a
 * zombie of the old one.
 *
 * <p>Malformed entries and documents over {@link PublishOptions#maxRecordBytes()} never stop the
 * run: they are counted and written to the reject file (one JSON object per line with location,
 * index and reason), flushed after the transaction that covers them commits.
 */
public final class Publisher {
  private static final ObjectMapper JSON = DocumentJson.mapper();

  private final PublishOptions options;
  private final PrintStream log;

  /**
   * Test hook: simulate a crash (no commit, no abort) after this many entries of this run; -1 =
   * never.
   */
  long crashAfterEntries = -1;

  public Publisher(PublishOptions options, PrintStream log) {
    this.options = options;
    this.log = log;
  }

  /**
   * Publishes everything and returns what happened; throws only when Kafka or the inputs cannot be
   * used at all.
   */
  public PublishSummary run() throws IOException {
    long start = System.nanoTime();
    List<Path> files = DocumentReader.expand(options.inputs());
    String runKey = runKey(files);
    ensureTopics();

    Progress resumeFrom = Progress.NONE;
    if (options.resume()) {
      resumeFrom = readProgress(runKey);
      if (resumeFrom.entries() == 0) {
        log.println(
            "resume: no committed progress for this topic and these inputs; starting from the beginning");
      } else if (resumeFrom.complete()) {
        log.printf(
            "resume: an earlier run already published all %,d entries; nothing to do%n",
            resumeFrom.entries());
      } else {
        log.printf(
            "resume: continuing after entry %,d (%,d documents already committed)%n",
            resumeFrom.entries(), resumeFrom.published());
      }
    }

    long read = 0;
    long skipped = 0;
    long published = 0;
    long malformed = 0;
    long oversized = 0;
    long bytes = 0;
    AtomicReference<Exception> sendError = new AtomicReference<>();
    List<String> pendingRejects = new ArrayList<>();

    Path rejectPath = options.effectiveRejectFile();
    StandardOpenOption mode =
        options.resume() ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING;
    try (DocumentReader reader = new DocumentReader(options.inputs(), options.readOptions());
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(runKey));
        BufferedWriter rejects =
            Files.newBufferedWriter(
                rejectPath,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                mode);
        ProgressBar bar = options.progress() ? progressBar() : null) {
      producer.initTransactions();
      producer.beginTransaction();
      long inTransaction = 0;
      long index = -1;
      boolean done = resumeFrom.complete();
      while (!done && reader.hasNext()) {
        InputEntry e = reader.next();
        index = e.index();
        if (index < resumeFrom.entries()) {
          skipped++;
          continue;
        }
        read++;
        if (read == crashAfterEntries) {
          throw new IllegalStateException("simulated crash after " + read + " entries");
        }
        if (!e.ok()) {
          malformed++;
          pendingRejects.add(rejectLine(e, e.error()));
        } else {
          Document d = e.document();
          byte[] value = DocumentJson.toBytes(d);
          if (value.length > options.maxRecordBytes()) {
            oversized++;
            pendingRejects.add(
                rejectLine(
                    e,
                    String.format(
                        "document %s is %,d bytes serialized, over the limit of %,d bytes (raise it with --max-record-bytes, "
                            + "and the broker's message.max.bytes and the topic's max.message.bytes with it)",
                        d.id(), value.length, options.maxRecordBytes())));
          } else {
            producer.send(
                new ProducerRecord<>(options.topic(), d.id(), value),
                (md, ex) -> {
                  if (ex != null) {
                    sendError.compareAndSet(null, ex);
                  }
                });
            published++;
            bytes += value.length;
          }
        }
        if (bar != null) {
          bar.step();
          double secs = (System.nanoTime() - start) / 1e9;
          bar.setExtraMessage(String.format(" %.1f MB/s", secs > 0 ? bytes / 1e6 / secs : 0));
        }
        if (++inTransaction >= options.transactionEntries()) {
          commit(
              producer,
              runKey,
              new Progress(index + 1, resumeFrom.published() + published, false),
              sendError);
          flushRejects(rejects, pendingRejects);
          producer.beginTransaction();
          inTransaction = 0;
        }
      }
      long totalEntries = Math.max(index + 1, resumeFrom.entries());
      commit(
          producer,
          runKey,
          new Progress(totalEntries, resumeFrom.published() + published, true),
          sendError);
      flushRejects(rejects, pendingRejects);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    return new PublishSummary(read, skipped, published, malformed, oversized, bytes, secs);
  }

  private void commit(
      KafkaProducer<String, byte[]> producer,
      String runKey,
      Progress p,
      AtomicReference<Exception> sendError)
      throws IOException {
    ObjectNode state = JSON.createObjectNode();
    state.put("entries", p.entries());
    state.put("published", p.published());
    state.put("complete", p.complete());
    producer.send(
        new ProducerRecord<>(options.stateTopic(), runKey, JSON.writeValueAsBytes(state)));
    producer.flush();
    Exception err = sendError.get();
    if (err != null) {
      producer.abortTransaction();
      throw new IOException(
          "publishing to "
              + options.topic()
              + " failed, transaction aborted (re-run with --resume "
              + "to continue after the last committed entry): "
              + err.getMessage(),
          err);
    }
    producer.commitTransaction();
  }

  private static void flushRejects(BufferedWriter rejects, List<String> pending)
      throws IOException {
    for (String line : pending) {
      rejects.write(line);
      rejects.newLine();
    }
    rejects.flush();
    pending.clear();
  }

  private static String rejectLine(InputEntry e, String reason) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("location", e.location());
    o.put("index", e.index());
    o.put("reason", reason);
    return JSON.writeValueAsString(o);
  }

  private ProgressBar progressBar() {
    return new ProgressBarBuilder()
        .setTaskName("publish " + options.topic())
        .setInitialMax(-1)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" docs", 1)
        .showSpeed()
        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
        .build();
  }

  private Properties producerProps(String runKey) {
    Properties p = clientProperties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
        Integer.toString(Math.max(options.maxRecordBytes() + 64 * 1024, 1024 * 1024)));
    p.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        "winnow-publish-" + DocumentIds.fromContent(runKey).substring(1, 17));
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "300000");
    p.putAll(options.producerOverrides());
    return p;
  }

  /** The run's client properties (security, timeouts), for each of its clients. */
  private Properties clientProperties() {
    Properties p = new Properties();
    p.putAll(options.clientProperties());
    return p;
  }

  private void ensureTopics() {
    Properties p = clientProperties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
    try (Admin admin = Admin.create(p)) {
      var existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      int nodes = admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size();
      short rf = (short) Math.min(3, nodes);
      List<NewTopic> create = new ArrayList<>();
      if (!existing.contains(options.topic())) {
        create.add(new NewTopic(options.topic(), options.partitions(), rf));
      }
      if (!existing.contains(options.stateTopic())) {
        create.add(
            new NewTopic(options.stateTopic(), 1, rf)
                .configs(
                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
      }
      if (!create.isEmpty()) {
        admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot prepare topics "
              + options.topic()
              + " and "
              + options.stateTopic()
              + " on "
              + options.bootstrap()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** Reads the last committed progress record for this run from the state topic. */
  private Progress readProgress(String runKey) {
    Properties p = clientProperties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    Progress last = Progress.NONE;
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
      List<TopicPartition> parts =
          c.partitionsFor(options.stateTopic()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(parts));
      while (end.entrySet().stream().anyMatch(en -> c.position(en.getKey()) < en.getValue())) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (runKey.equals(r.key()) && r.value() != null) {
            JsonNode n = JSON.readTree(r.value());
            last =
                new Progress(
                    n.path("entries").asLong(),
                    n.path("published").asLong(),
                    n.path("complete").asBoolean());
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read publish progress from " + options.stateTopic() + ": " + e.getMessage(), e);
    }
    return last;
  }

  /**
   * Identifies "the same publish": the target topic and the absolute input files in reading order.
   */
  private String runKey(List<Path> files) {
    StringBuilder sb = new StringBuilder(options.topic());
    for (Path f : files) {
      sb.append('\n').append(f.toAbsolutePath().normalize());
    }
    return options.topic() + ":" + DocumentIds.fromContent(sb.toString());
  }

  private record Progress(long entries, long published, boolean complete) {
    static final Progress NONE = new Progress(0, 0, false);
  }
}
