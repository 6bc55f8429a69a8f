package dev.winnow.selection.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactorTest {
  private final PiiRedactor typed = PiiRedactor.typed();

  private String redact(String s) {
    return typed.redact(s).text();
  }

  @Test
  void replacesEachKindWithItsPlaceholder() {
    assertEquals("mail <EMAIL> now", redact("mail jane.doe+news@mail.example.org now"));
    assertEquals("host <IP> up", redact("host 192.168.10.254 up"));
    assertEquals("host <IP> up", redact("host 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up"));
    assertEquals("host <IP> up", redact("host 2001:db8::8a2e:370:7334 up"));
    assertEquals("call <PHONE> today", redact("call +49 30 1234567 today"));
    assertEquals("call <PHONE> today", redact("call +1 (555) 123-4567 today"));
    assertEquals("call <PHONE> today", redact("call (555) 123-4567 today"));
    assertEquals("call <PHONE> today", redact("call 030 1234567 today"));
    assertEquals("call <PHONE> today", redact("call 06 12 34 56 78 today"));
    assertEquals("card <CARD> ok", redact("card 4111 1111 1111 1111 ok"));
    assertEquals("card <CARD> ok", redact("card 5500-0000-0000-0004 ok"));
    assertEquals("to <IBAN> ok", redact("to DE89 3704 0044 0532 0130 00 ok"));
    assertEquals("to <IBAN> ok", redact("to GB82WEST12345698765432 ok"));
  }

  @Test
  void lookAlikesStay() {
    for (String s :
        List.of(
            "release 1.2.3 and v2.0.0.1 and version 10.0.0.1",
            "on 2024-01-15 at 12:30:45, or 15/01/2024",
            "ISBN 978-3-16-148410-0 and 9780306406157",
            "costs $1,234.56 or 99.99 EUR",
            "card 4111 1111 1111 1112 fails Luhn",
            "account DE88 3704 0044 0532 0130 00 has wrong check digits",
            "mac 00:1A:2B:3C:4D:5E and 123456789",
            "std::vector and a::b::c")) {
      assertEquals(s, redact(s), s);
    }
  }

  @Test
  void luhnAndIbanChecksOnBothSides() {
    assertTrue(Checksums.luhn("4111111111111111"));
    assertFalse(Checksums.luhn("4111111111111112"));
    assertTrue(Checksums.iban("DE89370400440532013000"));
    assertFalse(Checksums.iban("DE88370400440532013000"));
    assertFalse(Checksums.iban("DE8937040044053201300"), "one digit short of Germany's 22");
  }

  @Test
  void allowListKeepsAFindAndCountsCoverEveryKind() {
    Map<PiiKind, String> p = new EnumMap<>(PiiKind.class);
    for (PiiKind k : PiiKind.values()) {
      p.put(k, k.defaultPlaceholder());
    }
    PiiRedactor r = new PiiRedactor(p, List.of("Support@Winnow.dev"));
    var out = r.redact("write to support@winnow.dev or bob@example.com");
    assertEquals("write to support@winnow.dev or <EMAIL>", out.text());
    assertEquals(1, out.counts().get(PiiKind.EMAIL));
    assertEquals(0, out.counts().get(PiiKind.CARD));
    assertEquals(5, out.counts().size());
  }

  @Test
  void onlyTheConfiguredKindsWithTheirPlaceholders() {
    Map<PiiKind, String> p = new EnumMap<>(PiiKind.class);
    p.put(PiiKind.EMAIL, "email@example.com");
    p.put(PiiKind.IP, "0.0.0.0");
    PiiRedactor datatrove = new PiiRedactor(p, List.of());
    assertEquals(
        "email@example.com from 0.0.0.0, card 4111 1111 1111 1111",
        datatrove.redact("a@b.io from 10.1.2.3, card 4111 1111 1111 1111").text());
  }

  /** Precision and recall on the generated planted set; the README quotes these figures. */
  @Test
  void plantedSetPrecisionAndRecall() {
    List<PlantedPii.Doc> docs = new PlantedPii(17).docs(5_000);
    Map<PiiKind, int[]> perKind =
        new EnumMap<>(PiiKind.class); // planted, found exactly, false finds
    for (PiiKind k : PiiKind.values()) {
      perKind.put(k, new int[3]);
    }
    int decoys = 0;
    int decoysHit = 0;
    for (PlantedPii.Doc d : docs) {
      List<PiiRedactor.Find> finds = typed.find(d.text());
      for (int i = 0; i < d.plants().size(); i++) {
        PlantedPii.Plant p = d.plants().get(i);
        int[] span = d.spans().get(i);
        boolean hit = false;
        for (PiiRedactor.Find f : finds) {
          if (f.start() < span[1] && span[0] < f.end()) {
            hit = true;
            if (p.kind() == null
                || f.kind() != p.kind()
                || f.start() != span[0]
                || f.end() != span[1]) {
              perKind.get(f.kind())[2]++;
            } else {
              perKind.get(p.kind())[1]++;
            }
          }
        }
        if (p.kind() == null) {
          decoys++;
          decoysHit += hit ? 1 : 0;
        } else {
          perKind.get(p.kind())[0]++;
        }
      }
      for (PiiRedactor.Find f : finds) {
        boolean inPlant = false;
        for (int[] span : d.spans()) {
          inPlant |= f.start() < span[1] && span[0] < f.end();
        }
        if (!inPlant) {
          perKind.get(f.kind())[2]++; // found in the filler words
        }
      }
    }
    StringBuilder table = new StringBuilder();
    for (var e : perKind.entrySet()) {
      int[] c = e.getValue();
      double recall = c[1] / (double) c[0];
      double precision = c[1] / (double) Math.max(1, c[1] + c[2]);
      table.append(
          String.format(
              "%s: planted %d, recall %.4f, precision %.4f%n",
              e.getKey(), c[0], recall, precision));
      assertTrue(recall >= 0.99, e.getKey() + " recall " + recall);
      assertTrue(precision >= 0.99, e.getKey() + " precision " + precision);
    }
    table.append(String.format("decoys %d, redacted %d%n", decoys, decoysHit));
    System.out.print(table);
    assertTrue(decoysHit <= decoys / 200, table.toString());
  }
}
