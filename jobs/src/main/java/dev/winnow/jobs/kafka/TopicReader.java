package dev.winnow.jobs.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic up to fixed end offsets (read_committed, from the beginning), with the same client
 * properties (security) as the jobs' sources and sinks: the reference set of the dedup stages, the
 * demo's and the tests' counts of what a run wrote. Records at or past the end offsets are not
 * handed on, so a reader given pinned offsets reads the same records however often it runs.
 */
public final class TopicReader {
  /**
   * How long a read may see no record before the end offsets, before it gives up naming the
   * positions.
   */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(120);

  private TopicReader() {}

  /** The whole topic as it is now. */
  public static long forEach(
      String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> action) {
    return forEach(bootstrap, Map.of(), topic, action);
  }

  /** The whole topic as it is now, with extra client properties. */
  public static long forEach(
      String bootstrap,
      Map<String, String> properties,
      String topic,
      Consumer<ConsumerRecord<byte[], byte[]>> action) {
    return read(bootstrap, properties, topic, endOffsets(bootstrap, properties, topic), action);
  }

  /**
   * The end offsets (exclusive) of every partition of {@code topic} now.
   *
   * @throws IllegalArgumentException when the topic does not exist or cannot be read, naming it and
   *     the servers
   */
  public static Map<Integer, Long> endOffsets(
      String bootstrap, Map<String, String> properties, String topic) {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(consumerProperties(bootstrap, properties))) {
      List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "topic " + topic + " does not exist on " + bootstrap + " (create it, or fix the name)");
      }
      List<TopicPartition> parts = new ArrayList<>();
      infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
      Map<Integer, Long> ends = new TreeMap<>();
      c.endOffsets(parts, Duration.ofSeconds(30))
          .forEach((tp, end) -> ends.put(tp.partition(), end));
      return ends;
    } catch (KafkaException e) {
      throw new IllegalArgumentException(
          "cannot read topic " + topic + " on " + bootstrap + ": " + e.getMessage(), e);
    }
  }

  /**
   * Hands every record below {@code endOffsets} to {@code action}, partition offsets ascending
   * within a partition.
   *
   * @return the records handed on
   * @throws IllegalStateException when no record arrives for {@link #STALL_TIMEOUT} before the end,
   *     or the topic cannot be read, naming the topic, the servers and the positions reached
   */
  public static long read(
      String bootstrap,
      Map<String, String> properties,
      String topic,
      Map<Integer, Long> endOffsets,
      Consumer<ConsumerRecord<byte[], byte[]>> action) {
    long n = 0;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(consumerProperties(bootstrap, properties))) {
      List<TopicPartition> parts = new ArrayList<>();
      endOffsets.forEach(
          (p, end) -> {
            if (end > 0) {
              parts.add(new TopicPartition(topic, p));
            }
          });
      c.assign(parts);
      c.seekToBeginning(parts);
      long lastProgress = System.nanoTime();
      while (!reachedEnd(c, parts, endOffsets)) {
        boolean progressed = false;
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          progressed = true;
          if (r.offset() < endOffsets.get(r.partition())) {
            action.accept(r);
            n++;
          }
        }
        if (progressed) {
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > STALL_TIMEOUT.toNanos()) {
          throw new IllegalStateException(
              "topic "
                  + topic
                  + " on "
                  + bootstrap
                  + ": no record for "
                  + STALL_TIMEOUT.toSeconds()
                  + " s before reaching the end offsets "
                  + endOffsets
                  + " (positions "
                  + positions(c, parts)
                  + "); is the broker reachable and the topic intact?");
        }
      }
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "cannot read topic " + topic + " on " + bootstrap + ": " + e.getMessage(), e);
    }
    return n;
  }

  private static boolean reachedEnd(
      KafkaConsumer<?, ?> c, List<TopicPartition> parts, Map<Integer, Long> ends) {
    for (TopicPartition tp : parts) {
      if (c.position(tp, Duration.ofSeconds(60)) < ends.get(tp.partition())) {
        return false;
      }
    }
    return true;
  }

  private static Map<Integer, Long> positions(KafkaConsumer<?, ?> c, List<TopicPartition> parts) {
    Map<Integer, Long> out = new TreeMap<>();
    parts.forEach(tp -> out.put(tp.partition(), c.position(tp)));
    return out;
  }

  private static Properties consumerProperties(String bootstrap, Map<String, String> extra) {
    Properties p = KafkaClients.properties(bootstrap, extra);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }
}
