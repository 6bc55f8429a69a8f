package dev.winnow.selection.dedup.minhash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FileDeduplicatorTest {

  private record Doc(String id, String text) {}

  @Test
  void everyDocumentGetsExactlyOneDecisionInOrder() {
    SplittableRandom r = new SplittableRandom(12);
    String a = TestTexts.randomText(r, 120);
    List<Doc> docs =
        List.of(
            new Doc("1", a),
            new Doc("2", TestTexts.randomText(r, 120)),
            new Doc("3", a + " extra"),
            new Doc("4", "tiny"),
            new Doc("5", null),
            new Doc("6", "Tiny!"));
    List<String> order = new ArrayList<>();
    List<Map<String, Object>> fields = new ArrayList<>();
    FileDeduplicator.Summary s =
        new FileDeduplicator(MinHashConfig.datatrove())
            .run(
                docs.iterator(),
                Doc::id,
                Doc::text,
                (doc, d) -> {
                  order.add(doc.id());
                  fields.add(d.asFields());
                });
    assertEquals(List.of("1", "2", "3", "4", "5", "6"), order);
    assertEquals(Map.of("kept", true, "cluster", "1"), fields.get(0));
    assertEquals(false, fields.get(2).get("kept"));
    assertEquals("1", fields.get(2).get("duplicate_of"));
    assertEquals(
        List.of("kept", "duplicate_of", "similarity"), List.copyOf(fields.get(2).keySet()));
    assertEquals(
        Map.of("kept", false, "duplicate_of", "4", "similarity", 1.0, "too_short", true),
        fields.get(5));
    assertEquals(6, s.documents());
    assertEquals(4, s.kept());
    assertEquals(2, s.duplicates());
    assertEquals(3, s.tooShort());
  }

  @Test
  void referencesSeedTheIndex() {
    String text = TestTexts.randomText(new SplittableRandom(13), 80);
    FileDeduplicator dedup = new FileDeduplicator(MinHashConfig.nemo());
    dedup.addReferences(List.of(new Doc("old", text)).iterator(), Doc::id, Doc::text);
    List<Decision> out = new ArrayList<>();
    dedup.run(List.of(new Doc("new", text)).iterator(), Doc::id, Doc::text, (doc, d) -> out.add(d));
    assertEquals(new Decision.Duplicate("new", "old", 1.0, false), out.get(0));
  }

  @Test
  void missingIdIsAnActionableError() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new FileDeduplicator(MinHashConfig.datatrove())
                    .run(
                        List.of(new Doc(null, "x")).iterator(),
                        Doc::id,
                        Doc::text,
                        (doc, d) -> {}));
    assertEquals(true, e.getMessage().contains("\"id\""));
  }
}
