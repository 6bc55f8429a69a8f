package dev.winnow.selection.blocklist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
  void softWordsBlockFromTheThresholdOn() {
    var soft =
        new UrlBlocklist(List.of(), List.of("xxx"), List.of("# soft", "hot", "girls", "live"), 2);
    assertFalse(soft.check("https://weather.test/hot-summer").isPresent(), "one soft word < 2");
    assertFalse(
        soft.check("https://weather.test/hot/hot-days").isPresent(), "the same word twice is one");
    var b = soft.check("https://site.test/Live/hot-GIRLS?x=1").orElseThrow();
    assertEquals("url_soft_words", b.rule());
    assertEquals("live,hot,girls", b.match());
    assertEquals(3, b.count());
    assertEquals(
        "url_word",
        soft.check("https://site.test/hot-girls-xxx").orElseThrow().rule(),
        "a banned word is reported before soft words");
    assertFalse(soft.check("https://site.test/hotels/girlscouts").isPresent(), "whole words only");
    var three = new UrlBlocklist(List.of(), List.of(), List.of("hot", "girls", "live"), 3);
    assertFalse(three.check("https://site.test/hot-girls").isPresent(), "2 < 3");
    assertEquals(
        3, three.check("https://site.test/hot-girls-live").orElseThrow().count(), "3 >= 3");
    var one = new UrlBlocklist(List.of(), List.of(), List.of("hot"), 1);
    assertEquals("hot", one.check("https://site.test/hot").orElseThrow().match());
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new UrlBlocklist(List.of(), List.of(), List.of("hot"), 0));
    assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
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
