package dev.winnow.jobs.common;

/**
 * An input record the job could not process, kept byte for byte with the reason and where it came
 * from. Flink POJO. On the dead-letter topic the value is the original bytes unchanged and the rest
 * travels in headers, so a fixed record can be replayed as it is.
 */
public class DeadLetterRecord {
  public byte[] key;
  public byte[] value;
  public String reason;
  public String topic;
  public int partition;
  public long offset;

  public DeadLetterRecord() {}

  public static DeadLetterRecord of(
      byte[] key, byte[] value, String reason, String topic, int partition, long offset) {
    DeadLetterRecord r = new DeadLetterRecord();
    r.key = key;
    r.value = value;
    r.reason = reason;
    r.topic = topic;
    r.partition = partition;
    r.offset = offset;
    return r;
  }
}
