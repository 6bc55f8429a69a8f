package dev.winnow.ingest.html;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The main text of an HTML page: its title and the paragraphs of its article, without navigation,
 * cookie banners, sidebars, footers, scripts, styles or comments, one paragraph per block with a
 * blank line between them (the repetition filters downstream need the breaks).
 *
 * <p>Written for Winnow on top of jsoup's parser: the readability ports on Maven Central are
 * unmaintained (net.dankito readability4j, Kotlin, last release 2021; OpenIMAJ's readability4j,
 * 2020; JReadability, built on jsoup 1.7) and none was measured here. The algorithm is the
 * readability family's, in three steps:
 *
 * <ol>
 *   <li><b>Prune.</b> Drop what is never main text: {@code script}, {@code style}, {@code
 *       noscript}, {@code template}, {@code svg}, {@code iframe}, forms and their controls, {@code
 *       nav}, {@code aside}, {@code footer}, {@code menu}, {@code dialog}, a {@code header} outside
 *       {@code article}/{@code main}; elements with a landmark role other than main ({@code
 *       navigation}, {@code banner}, {@code contentinfo}, {@code complementary}, {@code dialog},
 *       …), hidden ones ({@code hidden}, {@code aria-hidden="true"}, inline {@code display:none});
 *       and elements whose id or class names boilerplate: always for {@link #NEVER} (cookie,
 *       consent, comment, share, related, sidebar, newsletter, copyright, …), and for {@link
 *       #UNLIKELY} (banner, nav, menu, header, footer, ad, widget, …) unless it also names content
 *       ({@link #LIKELY}: article, content, main, post, entry, story, body). Comments are never
 *       text nodes, so they never reach the output.
 *   <li><b>Score.</b> One pass splits the rest into text blocks (each {@code p}, heading, {@code
 *       li}, {@code pre}, {@code blockquote}, {@code td}, … and the loose text of a {@code div});
 *       every block of 25 or more characters scores {@code 1 + commas + min(chars / 100, 3)}, added
 *       in full to its parent, half to its grandparent and a third to the level above. An element's
 *       score is scaled by {@code 1 − link density} (the share of its text inside links).
 *   <li><b>Select.</b> The best-scoring element is the article; its siblings scoring at least
 *       {@code max(10, 0.2 × best)} and sibling paragraphs longer than 80 characters with link
 *       density below 0.25 join it. Within it, blocks that are mostly links (density above 0.5; 0.3
 *       for list items and table cells) are dropped.
 * </ol>
 *
 * Thread-safe: instances hold only configuration.
 */
public final class MainTextExtractor {
  /**
   * Class and id words that always mark boilerplate, even beside a content word ({@code
   * related-posts}, {@code article-share}, {@code post-comments}).
   */
  static final Pattern NEVER =
      Pattern.compile(
          "cookie|consent|gdpr|comment|disqus|related|recommend|share|sharing|social|sidebar|"
              + "side-bar|sponsor|promo|advert|newsletter|subscribe|signup|sign-up|popup|modal|"
              + "copyright|outbrain|taboola|trending|most-read|most-popular");

  /** Class and id words that mark boilerplate containers unless they also name content. */
  static final Pattern UNLIKELY =
      Pattern.compile(
          "banner|breadcrumb|footer|header|masthead|menu|navbar|\\bnav\\b|-nav|nav-|navigation|"
              + "\\bads?\\b|ad-|-ad\\b|login|overlay|widget|pagination|pager|toolbar|skip|rss|"
              + "legal|disclaimer|tags\\b|tag-list");

  /** Class and id words that mark content, overriding {@link #UNLIKELY}. */
  static final Pattern LIKELY =
      Pattern.compile("article|content|\\bmain\\b|post|entry|story|\\bbody\\b|prose");

  private static final Set<String> DROP_TAGS =
      Set.of(
          "script",
          "style",
          "noscript",
          "template",
          "svg",
          "canvas",
          "iframe",
          "object",
          "embed",
          "form",
          "button",
          "input",
          "select",
          "textarea",
          "label",
          "nav",
          "aside",
          "footer",
          "menu",
          "dialog",
          "link",
          "meta",
          "head");
  private static final Set<String> DROP_ROLES =
      Set.of(
          "navigation",
          "banner",
          "contentinfo",
          "complementary",
          "dialog",
          "alertdialog",
          "search",
          "menu",
          "menubar",
          "toolbar");
  private static final Set<String> BLOCKS =
      Set.of(
          "p",
          "div",
          "section",
          "article",
          "main",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "li",
          "ul",
          "ol",
          "dl",
          "dt",
          "dd",
          "pre",
          "blockquote",
          "table",
          "tr",
          "td",
          "th",
          "figcaption",
          "figure",
          "header",
          "address",
          "center",
          "body",
          "details",
          "summary",
          "hr");
  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

  /** Blocks shorter than this do not score (they may still be emitted). */
  private static final int MIN_SCORED_CHARS = 25;

  /** Extracts from an HTML string. */
  public ExtractedText extract(String html) {
    return extract(Jsoup.parse(html));
  }

  /** Extracts from a parsed page (which is modified: boilerplate is removed from it). */
  public ExtractedText extract(Document page) {
    String title = title(page);
    Element body = page.body();
    if (body == null) {
      return new ExtractedText(title, List.of());
    }
    prune(body);
    List<Block> blocks = blocks(body);
    Map<Element, double[]> scores = score(blocks);
    List<Element> roots = select(body, scores);
    List<String> paragraphs = new ArrayList<>();
    for (Block b : blocks) {
      if (!within(b.owner, roots) || b.text.isEmpty()) {
        continue;
      }
      double density = b.text.isEmpty() ? 0 : b.linkChars / (double) b.text.length();
      boolean heading = HEADINGS.contains(b.owner.normalName());
      boolean listy = b.owner.normalName().equals("li") || b.owner.normalName().equals("td");
      if (!heading && density > (listy ? 0.3 : 0.5)) {
        continue;
      }
      if (paragraphs.isEmpty() && b.text.equals(title)) {
        continue; // the title is emitted once, first
      }
      paragraphs.add(b.text);
    }
    return new ExtractedText(title, paragraphs);
  }

  private static String title(Document page) {
    Element og = page.selectFirst("meta[property=og:title]");
    String t = page.title().strip();
    Element h1 = page.selectFirst("h1");
    String h1Text = h1 == null ? "" : h1.text().strip();
    // "Article title | Site name": the h1 is usually the article's own title
    if (!h1Text.isEmpty() && (t.isEmpty() || t.contains(h1Text))) {
      return h1Text;
    }
    if (t.isEmpty() && og != null) {
      t = og.attr("content").strip();
    }
    return t.isEmpty() ? h1Text : t;
  }

  private static void prune(Element body) {
    List<Element> drop = new ArrayList<>();
    for (Element e : body.getAllElements()) {
      if (e == body) {
        continue;
      }
      if (isBoilerplate(e)) {
        drop.add(e);
      }
    }
    for (Element e : drop) {
      e.remove(); // removing an ancestor first makes removing its descendants a no-op
    }
  }

  private static boolean isBoilerplate(Element e) {
    String tag = e.normalName();
    if (DROP_TAGS.contains(tag)) {
      return true;
    }
    if (tag.equals("header") && e.closest("article, main") == null) {
      return true;
    }
    if (e.hasAttr("hidden") || "true".equalsIgnoreCase(e.attr("aria-hidden"))) {
      return true;
    }
    String role = e.attr("role").toLowerCase(Locale.ROOT);
    if (!role.isEmpty() && DROP_ROLES.contains(role)) {
      return true;
    }
    String style = e.attr("style");
    if (!style.isEmpty()) {
      String s = style.toLowerCase(Locale.ROOT).replace(" ", "");
      if (s.contains("display:none") || s.contains("visibility:hidden")) {
        return true;
      }
    }
    if (tag.equals("article") || tag.equals("main")) {
      return false;
    }
    String names = (e.id() + " " + e.className()).toLowerCase(Locale.ROOT);
    if (names.isBlank()) {
      return false;
    }
    if (NEVER.matcher(names).find()) {
      return true;
    }
    return UNLIKELY.matcher(names).find() && !LIKELY.matcher(names).find();
  }

  /** A run of text owned by its nearest block element. */
  private static final class Block {
    final Element owner;
    final String text;
    final int linkChars;

    Block(Element owner, String text, int linkChars) {
      this.owner = owner;
      this.text = text;
      this.linkChars = linkChars;
    }
  }

  /**
   * Splits the pruned body into blocks in document order: text is collected until a block element
   * starts or ends, so the loose text of a {@code div} and the {@code p} inside it are two blocks.
   * Whitespace collapses to single spaces except inside {@code pre}; {@code br} is a line break.
   */
  private static List<Block> blocks(Element body) {
    List<Block> out = new ArrayList<>();
    NodeTraversor.traverse(
        new NodeVisitor() {
          final StringBuilder text = new StringBuilder();
          int linkChars;
          int inLink;
          int inPre;
          final List<Element> owners = new ArrayList<>();

          @Override
          public void head(Node node, int depth) {
            if (node instanceof TextNode t) {
              String s = inPre > 0 ? t.getWholeText() : t.text();
              append(s);
            } else if (node instanceof Element e) {
              String tag = e.normalName();
              if (BLOCKS.contains(tag)) {
                flush();
                owners.add(e);
              } else if (tag.equals("br")) {
                trimTrailingSpace();
                text.append('\n');
              }
              if (tag.equals("a")) {
                inLink++;
              } else if (tag.equals("pre")) {
                inPre++;
              }
            }
          }

          @Override
          public void tail(Node node, int depth) {
            if (node instanceof Element e) {
              String tag = e.normalName();
              if (tag.equals("a")) {
                inLink--;
              } else if (tag.equals("pre")) {
                inPre--;
              }
              if (BLOCKS.contains(tag)) {
                flush();
                owners.remove(owners.size() - 1);
              } else if (e == body) {
                flush();
              }
            }
          }

          private void append(String s) {
            if (s.isEmpty()) {
              return;
            }
            if (inPre == 0) {
              // collapse the space between adjacent inline runs
              boolean lead = Character.isWhitespace(s.charAt(0));
              String core = s.strip();
              if (lead && text.length() > 0 && !endsWithSpace()) {
                text.append(' ');
              }
              if (core.isEmpty()) {
                return;
              }
              text.append(core);
              if (inLink > 0) {
                linkChars += core.length();
              }
              if (Character.isWhitespace(s.charAt(s.length() - 1))) {
                text.append(' ');
              }
            } else {
              text.append(s);
            }
          }

          private boolean endsWithSpace() {
            char c = text.charAt(text.length() - 1);
            return c == ' ' || c == '\n';
          }

          private void trimTrailingSpace() {
            while (text.length() > 0 && text.charAt(text.length() - 1) == ' ') {
              text.setLength(text.length() - 1);
            }
          }

          private void flush() {
            String s = text.toString().strip();
            if (!s.isEmpty() && !owners.isEmpty()) {
              out.add(new Block(owners.get(owners.size() - 1), s, Math.min(linkChars, s.length())));
            }
            text.setLength(0);
            linkChars = 0;
          }
        },
        body);
    return out;
  }

  /** Per element: {score, chars, link chars}. */
  private static Map<Element, double[]> score(List<Block> blocks) {
    Map<Element, double[]> scores = new IdentityHashMap<>();
    for (Block b : blocks) {
      int len = b.text.length();
      // every ancestor learns its text and link length (for link density), scored or not
      for (Element a = b.owner; a != null; a = a.parent()) {
        double[] s = scores.computeIfAbsent(a, k -> new double[3]);
        s[1] += len;
        s[2] += b.linkChars;
      }
      if (len < MIN_SCORED_CHARS) {
        continue;
      }
      double points = 1 + commas(b.text) + Math.min(len / 100.0, 3);
      Element a = b.owner.normalName().equals("div") ? b.owner : b.owner.parent();
      for (int level = 0; a != null && level < 3; level++, a = a.parent()) {
        scores.get(a)[0] += points / (level == 0 ? 1 : level == 1 ? 2 : 3);
      }
    }
    return scores;
  }

  private static int commas(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ',' || c == '，' || c == '、') {
        n++;
      }
    }
    return n;
  }

  private static double finalScore(double[] s) {
    double density = s[1] == 0 ? 0 : s[2] / s[1];
    return s[0] * (1 - density);
  }

  private static List<Element> select(Element body, Map<Element, double[]> scores) {
    Element best = null;
    double bestScore = 0;
    for (Map.Entry<Element, double[]> e : scores.entrySet()) {
      double s = finalScore(e.getValue());
      if (s > bestScore) {
        bestScore = s;
        best = e.getKey();
      }
    }
    if (best == null || best == body) {
      return List.of(body);
    }
    List<Element> roots = new ArrayList<>();
    Element parent = best.parent();
    if (parent == null) {
      return List.of(best);
    }
    double threshold = Math.max(10, 0.2 * bestScore);
    for (Element sib : parent.children()) {
      if (sib == best) {
        roots.add(sib);
        continue;
      }
      double[] s = scores.get(sib);
      if (s == null) {
        continue;
      }
      if (finalScore(s) >= threshold) {
        roots.add(sib);
      } else if (sib.normalName().equals("p") && s[1] > 80 && s[2] / s[1] < 0.25) {
        roots.add(sib);
      }
    }
    return roots;
  }

  private static boolean within(Element e, List<Element> roots) {
    for (Element a = e; a != null; a = a.parent()) {
      for (Element r : roots) {
        if (a == r) {
          return true;
        }
      }
    }
    return false;
  }
}
