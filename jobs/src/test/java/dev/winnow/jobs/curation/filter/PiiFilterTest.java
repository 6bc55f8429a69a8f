package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.curation.filter.StageDocs.annotation;
import static dev.winnow.jobs.curation.filter.StageDocs.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.jobs.common.DocRecord;
import dev.winnow.jobs.curation.CurationConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiFilterTest {
  private static final String TEXT =
      "Mail bob@example.com or support@winnow.dev, call +44 20 7946 0958, pay 4111 1111 1111 1111"
          + " to GB82 WEST 1234 5698 7654 32 from 10.0.0.7; version 1.2.3.4 on 2024-01-15.";

  @Test
  void typedPresetRedactsEveryKindAndCounts() throws Exception {
    PiiSection s = new PiiSection();
    s.allowList = List.of("support@winnow.dev");
    DocRecord d = doc("a", TEXT);
    assertNull(new PiiFilter(s).apply(d));
    assertEquals(
        "Mail <EMAIL> or support@winnow.dev, call <PHONE>, pay <CARD> to <IBAN> from <IP>;"
            + " version 1.2.3.4 on 2024-01-15.",
        d.text);
    var pii = annotation(d, "pii");
    assertEquals(1, pii.path("email").asInt());
    assertEquals(1, pii.path("phone").asInt());
    assertEquals(1, pii.path("card").asInt());
    assertEquals(1, pii.path("iban").asInt());
    assertEquals(1, pii.path("ip").asInt());
  }

  @Test
  void datatrovePresetOnlyEmailAndIp() throws Exception {
    PiiSection s = new PiiSection();
    s.preset = "datatrove";
    DocRecord d = doc("a", "bob@example.com from 10.0.0.7 card 4111 1111 1111 1111");
    new PiiFilter(s).apply(d);
    assertEquals("email@example.com from 0.0.0.0 card 4111 1111 1111 1111", d.text);
    assertEquals(2, annotation(d, "pii").size());
  }

  @Test
  void placeholdersAndKindsAreConfigurable() {
    PiiSection s = new PiiSection();
    s.kinds = List.of("email");
    s.placeholders = Map.of("email", "[email]");
    DocRecord d = doc("a", "bob@example.com from 10.0.0.7");
    new PiiFilter(s).apply(d);
    assertEquals("[email] from 10.0.0.7", d.text);
  }

  @Test
  void configChecksNameTheFieldPath() {
    CurationConfig c = new CurationConfig();
    c.pii.kinds = List.of("passport");
    var e = assertThrows(IllegalArgumentException.class, c::validate);
    assertTrue(e.getMessage().contains("pii.kinds[0]"), e.getMessage());
    CurationConfig c2 = new CurationConfig();
    c2.pii.preset = "presidio";
    e = assertThrows(IllegalArgumentException.class, c2::validate);
    assertTrue(e.getMessage().contains("pii.preset"), e.getMessage());
  }
}
