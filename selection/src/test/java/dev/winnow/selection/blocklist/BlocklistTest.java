package dev.winnow.selection.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlocklistTest {
  private final UrlBlocklist urls =
      new UrlBlocklist(
          List.of("# spam", "example.com", "*.casino.test", ""), List.of("porn", "xxx"));

  @Test
  void domainAndEveryParentDomain() {
    assertEquals(
        "example.com", urls.check("https://ads.example.com/page?x=1").orElseThrow().match());
    assertEquals("url_domain", urls.check("http://user@EXAMPLE.com:8080/").orElseThrow().rule());
    assertEquals("casino.test", urls.check("casino.test/win").orElseThrow().match());
    assertFalse(urls.check("https://notexample.com/").isPresent(), "not a parent domain");
    assertFalse(urls.check("https://example.org/example.com").isPresent(), "the path is no domain");
  }

  @Test
  void bannedWordsOfTheUrl() {
    var b = urls.check("https://videos.site/free-XXX-clips").orElseThrow();
    assertEquals("url_word", b.rule());
    assertEquals("xxx", b.match());
    assertFalse(urls.check("https://site.org/xxxl-shirts").isPresent(), "whole words only");
  }

  @Test
  void wordShareOnBothSidesOfAThreshold() {
    WordBlocklist w = new WordBlocklist(List.of("darn", "heck no"));
    var s = w.measure("Darn it, the heck NO answer; heck yes.");
    assertEquals(3, s.blocked());
    assertEquals(8, s.words());
    assertEquals("darn", s.first());
    assertEquals(0.375, s.fraction());
    assertEquals(0, w.measure("A clean sentence.").blocked());
  }
}
