package dev.winnow.jobs.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * How a Kafka record becomes a pool change, and the reasons malformed records are dead-lettered
 * with.
 */
class ParseDemonstrationFunctionTest {
  private static final String WHERE = "record demos-1@42";

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String reason(byte[] key, byte[] value) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> ParseDemonstrationFunction.parse(key, value, WHERE, "o"))
        .getMessage();
  }

  @Test
  void aValueIsParsedAsAPoolBuildLineIs() {
    String json =
        "{\"id\": \"q1\", \"input\": \"2 + 2\", \"output\": \"4\", \"meta\": {\"lang\": \"en\", \"n\": 3}}";
    PoolChange c = ParseDemonstrationFunction.parse(b("q1"), b(json), WHERE, "demos-1@42");
    assertFalse(c.delete);
    assertEquals(DemonstrationJson.parseLine(json, "line 1"), c.demonstration());
    assertEquals("demos-1@42", c.origin);
    assertNull(c.vector, "embedded later");
  }

  @Test
  void withoutKeyAndIdTheIdIsDerivedFromTheText() {
    String json = "{\"input\": \"2 + 2\", \"output\": \"4\"}";
    PoolChange c = ParseDemonstrationFunction.parse(null, b(json), WHERE, "o");
    Demonstration fromFile = DemonstrationJson.parseLine(json, "line 1");
    assertEquals(fromFile.id(), c.id);
    assertTrue(c.id.startsWith("d") && c.id.length() == 17, c.id);
  }

  @Test
  void aTombstoneDeletesItsKey() {
    PoolChange c = ParseDemonstrationFunction.parse(b("q1"), null, WHERE, "o");
    assertTrue(c.delete);
    assertEquals("q1", c.id);
  }

  @Test
  void malformedRecordsNameTheRecordAndTheFault() {
    String r = reason(null, b("{\"id\": \"q\", \"input\": "));
    assertTrue(r.startsWith(WHERE + ": not valid JSON"), r);
    r = reason(null, b("{\"id\": \"q\", \"output\": \"4\"}"));
    assertTrue(r.startsWith(WHERE + ".input: must be a non-blank string"), r);
    r = reason(null, b("{\"id\": \"q\", \"input\": \"   \", \"output\": \"4\"}"));
    assertTrue(r.startsWith(WHERE + ".input"), r);
    r = reason(null, b("{\"id\": \"q\", \"input\": \"2 + 2\"}"));
    assertTrue(r.startsWith(WHERE + ".output: must be a string"), r);
    r = reason(null, b("{\"id\": \"q\", \"input\": \"2 + 2\", \"output\": \"4\", \"answer\": 4}"));
    assertTrue(r.startsWith(WHERE) && r.contains("answer"), r);
    r = reason(null, b("[1, 2]"));
    assertTrue(r.startsWith(WHERE + ": must be an object"), r);
    r = reason(b("other"), b("{\"id\": \"q\", \"input\": \"2 + 2\", \"output\": \"4\"}"));
    assertTrue(r.contains("key \"other\" differs from the demonstration's id \"q\""), r);
    r = reason(null, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});
    assertTrue(r.startsWith(WHERE + ": not valid UTF-8"), r);
    r = reason(null, null);
    assertTrue(r.contains("tombstone (null value) without a key"), r);
    r = reason(b("a\u0001b"), null);
    assertTrue(r.contains("tombstone key") && r.contains("not a demonstration id"), r);
  }
}
