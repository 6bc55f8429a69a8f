package dev.winnow.jobs.common;

/** A Kafka record as read, before decoding: key and value bytes and its position. Flink POJO. */
public class RawRecord {
  public byte[] key;
  public byte[] value;
  public String topic;
  public int partition;
  public long offset;

  public RawRecord() {}

  public String origin() {
    return topic + "-" + partition + "@" + offset;
  }
}
