package dev.winnow.jobs.pool;

import dev.winnow.jobs.common.CountingFunction;
import dev.winnow.jobs.common.DeadLetterRecord;
import dev.winnow.jobs.common.RawRecord;
import dev.winnow.jobs.common.RuleCounters;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns a Kafka record into a {@link PoolChange}. The value is parsed exactly as a line of {@code
 * winnow pool build} ({@link DemonstrationJson#parseLine}: same fields, same validation, same
 * derived id); a record with a null value (a tombstone) deletes the demonstration whose id is the
 * key. Everything else goes to the dead-letter output with the reason: invalid UTF-8, bad JSON, a
 * missing or blank {@code input}, a missing {@code output}, an unknown field, an illegal id, a key
 * that differs from the demonstration's id (a compacted topic would otherwise keep or drop the
 * wrong record), a tombstone without a key.
 */
public class ParseDemonstrationFunction extends ProcessFunction<RawRecord, PoolChange>
    implements CountingFunction {
  private final OutputTag<DeadLetterRecord> deadLetters;
  private final RuleCounters counters = new RuleCounters();

  @Override
  public RuleCounters counters() {
    return counters;
  }

  public ParseDemonstrationFunction(OutputTag<DeadLetterRecord> deadLetters) {
    this.deadLetters = deadLetters;
  }

  @Override
  public void processElement(RawRecord r, Context ctx, Collector<PoolChange> out) {
    counters.inc(
        "in"); // a monitoring metric; the summary counts at the writer and before the dead-letter
    // sink
    String where = "record " + r.origin();
    try {
      out.collect(parse(r.key, r.value, where, r.origin()));
    } catch (IllegalArgumentException e) {
      ctx.output(
          deadLetters,
          DeadLetterRecord.of(r.key, r.value, e.getMessage(), r.topic, r.partition, r.offset));
    }
  }

  /**
   * The change a record asks for; IllegalArgumentException naming {@code where} and the fault when
   * it is malformed.
   */
  static PoolChange parse(byte[] key, byte[] value, String where, String origin) {
    String id = key == null ? null : utf8(key, where + " key");
    if (value == null) {
      if (id == null) {
        throw new IllegalArgumentException(
            where + ": a tombstone (null value) without a key: no id to delete");
      }
      if (id.isEmpty()
          || id.length() > Demonstration.MAX_ID_LENGTH
          || id.chars().anyMatch(Character::isISOControl)) {
        throw new IllegalArgumentException(
            where
                + ": tombstone key \""
                + id
                + "\" is not a demonstration id (1 to "
                + Demonstration.MAX_ID_LENGTH
                + " characters without control characters)");
      }
      return PoolChange.delete(id, origin);
    }
    Demonstration d = DemonstrationJson.parseLine(utf8(value, where), where);
    if (id != null && !id.equals(d.id())) {
      throw new IllegalArgumentException(
          where
              + ": key \""
              + id
              + "\" differs from the demonstration's id \""
              + d.id()
              + "\"; key records by id (or leave the key out), so that a tombstone or compaction acts on the right one");
    }
    return PoolChange.upsert(d, origin);
  }

  private static String utf8(byte[] bytes, String where) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(where + ": not valid UTF-8 (" + e + ")");
    }
  }
}
