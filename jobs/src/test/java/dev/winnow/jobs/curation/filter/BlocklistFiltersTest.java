package dev.winnow.jobs.curation.filter;

import static dev.winnow.jobs.curation.filter.StageDocs.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.jobs.curation.CurationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlocklistFiltersTest {
  @TempDir Path dir;

  @Test
  void urlDomainAndWordRules() throws Exception {
    Path domains = Files.write(dir.resolve("domains.txt"), List.of("spam.test"));
    Path words = Files.write(dir.resolve("words.txt"), List.of("casino"));
    UrlFilterSection s = new UrlFilterSection();
    s.enabled = true;
    s.domainsFile = domains.toString();
    s.wordsFile = words.toString();
    UrlFilter f = new UrlFilter(s);
    var r = f.apply(doc("a", "t", Map.of("url", "https://www.spam.test/x")));
    assertEquals("url_domain", r.rule);
    assertEquals("spam.test", r.valueText);
    assertEquals(
        "url_word", f.apply(doc("b", "t", Map.of("url", "http://ok.test/casino-night"))).rule);
    assertNull(f.apply(doc("c", "t", Map.of("url", "http://ok.test/news"))));
    assertNull(f.apply(doc("d", "no url")));
  }

  @Test
  void urlSoftWordsOnBothSidesOfTheThreshold() throws Exception {
    Path soft = Files.write(dir.resolve("soft.txt"), List.of("hot", "live", "girls"));
    UrlFilterSection s = new UrlFilterSection();
    s.enabled = true;
    s.softWordsFile = soft.toString();
    s.validate("url");
    UrlFilter f = new UrlFilter(s);
    assertNull(f.apply(doc("a", "t", Map.of("url", "https://w.test/hot-weather"))), "1 < 2");
    var r = f.apply(doc("b", "t", Map.of("url", "https://w.test/live/hot-deals")));
    assertEquals("url_soft_words", r.rule);
    assertEquals(2.0, r.value);
    assertEquals(">= 2 soft-banned words", r.threshold);
    assertNull(r.valueText);
    assertTrue(r.details.contains("\"words\":\"live,hot\""), r.details);
    s.softWordThreshold = 3;
    assertNull(
        new UrlFilter(s).apply(doc("b", "t", Map.of("url", "https://w.test/live/hot-deals"))),
        "2 < 3");
    s.softWordThreshold = 0;
    var e = assertThrows(IllegalArgumentException.class, () -> s.validate("url"));
    assertTrue(e.getMessage().contains("url.softWordThreshold"), e.getMessage());
  }

  @Test
  void blockedWordsOnBothSidesOfMaxFraction() throws Exception {
    Path list = Files.write(dir.resolve("bad.txt"), List.of("darn"));
    WordsFilterSection s = new WordsFilterSection();
    s.enabled = true;
    s.file = list.toString();
    String text = "darn one two three"; // 1 of 4 words: 0.25
    s.maxFraction = 0.0;
    var r = new WordsFilter(s).apply(doc("a", text));
    assertEquals("blocked_words", r.rule);
    assertEquals(0.25, r.value);
    assertEquals("> 0.0", r.threshold);
    s.maxFraction = 0.25;
    assertNull(new WordsFilter(s).apply(doc("a", text)), "0.25 is not more than 0.25");
    s.maxFraction = 0.24;
    assertEquals("blocked_words", new WordsFilter(s).apply(doc("a", text)).rule);
    assertNull(new WordsFilter(s).apply(doc("b", "clean words only")));
  }

  @Test
  void configAndMissingFilesNameTheField() {
    CurationConfig c = new CurationConfig();
    c.words.enabled = true;
    var e = assertThrows(IllegalArgumentException.class, c::validate);
    assertTrue(e.getMessage().contains("words.file"), e.getMessage());
    CurationConfig c2 = new CurationConfig();
    c2.words.maxFraction = 1.5;
    e = assertThrows(IllegalArgumentException.class, c2::validate);
    assertTrue(e.getMessage().contains("words.maxFraction"), e.getMessage());
    CurationConfig c3 = new CurationConfig();
    c3.url.enabled = true;
    e = assertThrows(IllegalArgumentException.class, c3::validate);
    assertTrue(e.getMessage().contains("url"), e.getMessage());
    UrlFilterSection u = new UrlFilterSection();
    u.enabled = true;
    u.domainsFile = dir.resolve("missing.txt").toString();
    e = assertThrows(IllegalArgumentException.class, () -> new UrlFilter(u));
    assertTrue(
        e.getMessage().contains("url.domainsFile") && e.getMessage().contains("missing.txt"));
  }
}
