package dev.winnow.ingest.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MainTextExtractorTest {
  static final List<String> PARAGRAPHS =
      List.of(
          "The river authority said on Tuesday that water levels had fallen for the third week in a row, leaving barges stranded near the old harbour.",
          "Farmers upstream, who rely on irrigation channels fed by the river, said they had already cut planting by a fifth, and some feared worse to come.",
          "Engineers are studying whether a temporary weir, built from stone and steel, could hold back enough water to keep the channel navigable until autumn.",
          "Officials cautioned that rain forecast for next month would help, but said it would not be enough on its own to undo the damage of a dry spring.");

  static final List<String> BOILERPLATE =
      List.of(
          "We use cookies to improve your experience",
          "Accept all cookies",
          "Home",
          "Subscribe to our newsletter",
          "Most read this week",
          "Copyright 2026 Daily Courier",
          "var tracker",
          "font-family",
          "hidden comment text",
          "Share on social media",
          "Related stories",
          "Sign in",
          "Reader comments");

  static String semanticPage() {
    StringBuilder p = new StringBuilder();
    for (String s : PARAGRAPHS) {
      p.append("<p>").append(s).append("</p>\n");
    }
    return """
        <!doctype html><html><head><title>River levels fall again | Daily Courier</title>
        <style>body { font-family: serif; }</style><script>var tracker = 1;</script></head>
        <body>
        <div id="cookie-banner"><p>We use cookies to improve your experience, measure traffic, and show ads.</p><button>Accept all cookies</button></div>
        <header class="site-header"><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></header>
        <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
        <main><article>
        <h1>River levels fall again</h1>
        <!-- hidden comment text -->
        %s
        <div class="share-tools"><a href="#">Share on social media</a></div>
        </article>
        <section class="comments"><h3>Reader comments</h3><p>This is terrible, who could have predicted a drought, honestly, every year the same.</p></section>
        </main>
        <aside><h3>Most read this week</h3><ul><li><a href="/a">A story about a cat that is not this story</a></li></ul></aside>
        <div class="newsletter-signup"><p>Subscribe to our newsletter for the best stories, every morning, free of charge.</p></div>
        <div class="related"><h3>Related stories</h3><a href="/b">Drought hits farms, again, in the region</a></div>
        <footer><p>Copyright 2026 Daily Courier. All rights reserved, including the right to reproduce.</p><a href="/login">Sign in</a></footer>
        </body></html>
        """
        .formatted(p);
  }

  /** Old-style div soup: no semantic tags, only classes; the text in divs with line breaks. */
  static String divSoupPage() {
    StringBuilder p = new StringBuilder();
    for (String s : PARAGRAPHS) {
      p.append("<div class=\"para\">").append(s).append("</div>\n");
    }
    return """
        <html><head><title>River levels fall again</title></head><body>
        <div id="top"><div class="menu"><a href="/">Home</a> | <a href="/x">Archive</a> | <a href="/y">Sign in</a></div></div>
        <div id="wrap">
          <div id="left-sidebar"><div class="widget"><b>Most read this week</b><br><a href="/1">One</a><br><a href="/2">Two</a></div></div>
          <div id="story-content"><h1>River levels fall again</h1>%s</div>
          <div id="consent-popup">We use cookies to improve your experience, please, please accept them.<a href="#">Accept all cookies</a></div>
        </div>
        <div id="bottom"><div class="copyright">Copyright 2026 Daily Courier, every right reserved.</div></div>
        </body></html>
        """
        .formatted(p);
  }

  @Test
  void semanticArticleKeepsTitleAndParagraphsAndDropsBoilerplate() {
    ExtractedText t = new MainTextExtractor().extract(semanticPage());
    assertEquals("River levels fall again", t.title());
    assertEquals(PARAGRAPHS, t.paragraphs());
    assertEquals("River levels fall again\n\n" + String.join("\n\n", PARAGRAPHS), t.text());
    for (String b : BOILERPLATE) {
      assertFalse(t.text().contains(b), () -> "boilerplate kept: " + b + "\n" + t.text());
    }
  }

  @Test
  void divSoupArticleIsFoundByScore() {
    ExtractedText t = new MainTextExtractor().extract(divSoupPage());
    assertEquals("River levels fall again", t.title());
    assertEquals(PARAGRAPHS, t.paragraphs());
    for (String b : BOILERPLATE) {
      assertFalse(t.text().contains(b), () -> "boilerplate kept: " + b + "\n" + t.text());
    }
  }

  @Test
  void lineBreaksAndPreformattedTextSurvive() {
    String html =
        "<html><body><article><h1>Poem</h1><p>First line of the poem, long enough<br>second line of"
            + " the poem, also long</p><pre>code  block\n  indented</pre><p>And a closing"
            + " paragraph with some commas, here, and there, for the score.</p></article></body></html>";
    ExtractedText t = new MainTextExtractor().extract(html);
    assertTrue(
        t.paragraphs()
            .contains("First line of the poem, long enough\nsecond line of the poem, also long"),
        t.paragraphs()::toString);
    assertTrue(t.paragraphs().contains("code  block\n  indented"), t.paragraphs()::toString);
  }

  @Test
  void pageWithoutTextHasEmptyText() {
    ExtractedText t =
        new MainTextExtractor()
            .extract(
                "<html><head><title>x</title><script>a()</script></head><body><nav><a>Home</a></nav></body></html>");
    assertEquals("", t.text());
  }

  @Test
  void linkListsInsideTheArticleAreDropped() {
    String html =
        "<html><body><article><h1>Title here</h1>"
            + "<p>A real paragraph of the article that says something, with commas, and substance.</p>"
            + "<ul><li><a href=/1>Link one to elsewhere</a></li><li><a href=/2>Link two to elsewhere</a></li></ul>"
            + "<p>Another real paragraph of the article, which continues the story, at length.</p>"
            + "</article></body></html>";
    ExtractedText t = new MainTextExtractor().extract(html);
    assertEquals(
        List.of(
            "A real paragraph of the article that says something, with commas, and substance.",
            "Another real paragraph of the article, which continues the story, at length."),
        t.paragraphs());
  }
}
