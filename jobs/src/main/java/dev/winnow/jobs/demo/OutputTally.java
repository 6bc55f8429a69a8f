package dev.winnow.jobs.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.ingest.serde.DocumentJson;
import dev.winnow.jobs.curation.CurationConfig;
import dev.winnow.jobs.kafka.DeadLetterSerializer;
import dev.winnow.jobs.kafka.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the three output topics hold after a run, counted from the topics themselves
 * (read_committed): the ground truth of "every document leaves exactly once", independent of the
 * job's own counters.
 */
public final class OutputTally {
  public final Map<String, Integer> curatedIds = new HashMap<>();
  public final Map<String, Integer> rejectedIds = new HashMap<>();

  /** Rejected document id → its rejection object. */
  public final Map<String, JsonNode> rejections = new HashMap<>();

  public final Map<String, Long> rejectedPerRule = new TreeMap<>();

  /** Reasons of dead letters, in topic order. */
  public final List<String> deadLetterReasons = new ArrayList<>();

  /** Original values of dead letters. */
  public final List<byte[]> deadLetterValues = new ArrayList<>();

  public long curated;
  public long rejected;
  public long deadLettered;

  public static OutputTally read(String bootstrap, CurationConfig.Topics topics) {
    return read(bootstrap, Map.of(), topics);
  }

  /** The same with client properties (a secured cluster). */
  public static OutputTally read(
      String bootstrap, Map<String, String> clientProperties, CurationConfig.Topics topics) {
    OutputTally t = new OutputTally();
    t.curated =
        TopicReader.forEach(
            bootstrap,
            clientProperties,
            topics.curated,
            r -> t.curatedIds.merge(new String(r.key(), StandardCharsets.UTF_8), 1, Integer::sum));
    t.rejected =
        TopicReader.forEach(
            bootstrap,
            clientProperties,
            topics.rejected,
            r -> {
              try {
                JsonNode n = DocumentJson.mapper().readTree(r.value());
                String id = n.path("id").asText();
                t.rejectedIds.merge(id, 1, Integer::sum);
                JsonNode rej = n.path("rejection");
                t.rejections.put(id, rej);
                t.rejectedPerRule.merge(rej.path("rule").asText(), 1L, Long::sum);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    t.deadLettered =
        TopicReader.forEach(
            bootstrap,
            clientProperties,
            topics.deadletter,
            r -> {
              var h = r.headers().lastHeader(DeadLetterSerializer.ERROR_HEADER);
              t.deadLetterReasons.add(
                  h == null ? "(no reason header)" : new String(h.value(), StandardCharsets.UTF_8));
              t.deadLetterValues.add(r.value());
            });
    return t;
  }

  public long total() {
    return curated + rejected + deadLettered;
  }

  /** Ids that appear more than once across curated and rejected (should be none). */
  public List<String> idsSeenTwice() {
    Map<String, Integer> all = new HashMap<>(curatedIds);
    rejectedIds.forEach((k, v) -> all.merge(k, v, Integer::sum));
    return all.entrySet().stream()
        .filter(e -> e.getValue() > 1)
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }
}
