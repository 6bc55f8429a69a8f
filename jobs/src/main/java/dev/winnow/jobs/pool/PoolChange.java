package dev.winnow.jobs.pool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationJson;
import java.io.UncheckedIOException;

/**
 * One change to a pool read from the topic: an upsert of a demonstration (with its input's unit
 * embedding once the embedding stage has run) or, for a tombstone, the deletion of an id. Flink
 * POJO; {@code meta} travels as JSON text.
 */
public class PoolChange {
  public String id;
  public String input;
  public String output;
  public String meta;
  public float[] vector;
  public boolean delete;

  /** Where it was read: {@code topic-partition@offset}. */
  public String origin;

  public PoolChange() {}

  static PoolChange upsert(Demonstration d, String origin) {
    PoolChange c = new PoolChange();
    c.id = d.id();
    c.input = d.input();
    c.output = d.output();
    try {
      c.meta = DemonstrationJson.MAPPER.writeValueAsString(d.metaOrEmpty());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    c.origin = origin;
    return c;
  }

  static PoolChange delete(String id, String origin) {
    PoolChange c = new PoolChange();
    c.id = id;
    c.delete = true;
    c.origin = origin;
    return c;
  }

  Demonstration demonstration() {
    try {
      return new Demonstration(
          id, input, output, (ObjectNode) DemonstrationJson.MAPPER.readTree(meta));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
