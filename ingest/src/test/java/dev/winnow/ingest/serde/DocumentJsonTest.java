package dev.winnow.ingest.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.ingest.Document;
import dev.winnow.ingest.DocumentIds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DocumentJsonTest {

  @Test
  void roundTripKeepsEveryField() throws Exception {
    Document d =
        new Document(
            "doc-1",
            "Héllo\nwörld \u4e16\u754c \uD83D\uDE00",
            "news",
            Map.of("lang", "en", "score", 1.5, "tags", List.of("a", "b")));
    Document back = DocumentJson.parse(DocumentJson.toBytes(d));
    assertEquals(d, back);
    assertEquals(d, DocumentJson.parse(DocumentJson.toJson(d)));
  }

  @Test
  void missingIdIsDerivedFromContentAndStable() throws Exception {
    Document a = DocumentJson.parse("{\"text\":\"same text\"}");
    Document b = DocumentJson.parse("{\"text\":\"same text\",\"source\":\"x\"}");
    Document c = DocumentJson.parse("{\"text\":\"other text\"}");
    assertEquals(a.id(), b.id());
    assertNotEquals(a.id(), c.id());
    assertEquals(DocumentIds.fromContent("same text"), a.id());
    assertEquals(33, a.id().length());
  }

  @Test
  void numericIdsAreAccepted() throws Exception {
    assertEquals("42", DocumentJson.parse("{\"id\":42,\"text\":\"t\"}").id());
  }

  @Test
  void unknownFieldsMoveIntoMeta() throws Exception {
    Document d =
        DocumentJson.parse("{\"id\":\"1\",\"text\":\"t\",\"url\":\"http://x\",\"meta\":{\"k\":1}}");
    assertEquals("http://x", d.meta().get("url"));
    assertEquals(1, d.meta().get("k"));
  }

  @Test
  void badRecordsNameWhatIsWrong() {
    assertMessage("invalid JSON", "{\"text\": \"unterminated");
    assertMessage("invalid JSON", "not json at all");
    assertMessage("expected a JSON object, got array", "[1,2]");
    assertMessage("missing field \"text\"", "{\"id\":\"1\"}");
    assertMessage("field \"text\" must be a string, got number", "{\"text\":5}");
    assertMessage(
        "field \"id\" must be a string or number, got object", "{\"id\":{},\"text\":\"t\"}");
    assertMessage("field \"id\" is blank", "{\"id\":\" \",\"text\":\"t\"}");
    assertMessage("field \"source\" must be a string", "{\"text\":\"t\",\"source\":3}");
    assertMessage("field \"meta\" must be an object", "{\"text\":\"t\",\"meta\":[1]}");
    assertMessage("invalid JSON", "{\"text\":\"t\",\"text\":\"u\"}");
    assertMessage("invalid JSON", "{\"text\":\"t\"} trailing");
  }

  @Test
  void invalidUtf8BytesAreRejected() {
    byte[] bad = "{\"text\":\"xx\"}".getBytes(StandardCharsets.UTF_8);
    bad[9] = (byte) 0xC3; // a lead byte followed by an ASCII byte: malformed
    DocumentFormatException e =
        assertThrows(DocumentFormatException.class, () -> DocumentJson.parse(bad));
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    assertThrows(DocumentFormatException.class, () -> DocumentJson.parse((byte[]) null));
  }

  private static void assertMessage(String expected, String json) {
    DocumentFormatException e =
        assertThrows(DocumentFormatException.class, () -> DocumentJson.parse(json), json);
    assertTrue(e.getMessage().contains(expected), "for " + json + ": " + e.getMessage());
  }
}
