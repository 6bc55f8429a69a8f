package dev.winnow.bench.dedup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.winnow.selection.dedup.minhash.MinHashConfig;
import dev.winnow.selection.dedup.minhash.Shingler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes a near-duplicate benchmark from real documents: originals from the shared corpora (news,
 * speeches, prose), and for each a few variants at a controlled similarity.
 *
 * <p>A variant applies, to the original's paragraphs (lines) and words:
 *
 * <ul>
 *   <li>with probability 0.3 a boilerplate header and/or footer (site chrome: subscribe, share,
 *       copyright lines) from a small fixed set, so boilerplate is shared across unrelated
 *       documents as on the web;
 *   <li>with probability 0.3 paragraph reordering (two paragraphs swapped, or all shuffled);
 *   <li>word edits at rate ρ, each edit a random choice of insertion, deletion or substitution
 *       (inserted and substituted words are drawn from the corpus vocabulary).
 * </ul>
 *
 * ρ is found by bisection so that the variant's exact Jaccard similarity with its original under
 * word 5-gram shingles reaches a target drawn per variant: uniform in [0.5, 1] for 70% of variants,
 * in [0.3, 0.5) for 15% (hard negatives), and ρ = 0 (layout-only changes) for 15%. The edits for
 * one variant use one fixed random stream at every ρ, so the similarity falls steadily with ρ.
 * Ground truth is not taken from these targets: the benchmark computes exact Jaccard over all
 * pairs, which also covers pairs of sibling variants and duplicates already present in the corpora.
 */
public final class NearDupGenerator {

  /** One benchmark document; {@code origin} is the id of the original it was made from. */
  public record Doc(String id, String text, String origin, String genre) {}

  private static final String[] HEADERS = {
    "Skip to main content. Home | News | Sport | Business | Weather. Sign in to your account to personalise your feed.",
    "Advertisement. This page is best viewed with JavaScript enabled. Subscribe for unlimited access from just one dollar a week.",
    "Breaking: live updates throughout the day. Follow us for the latest headlines delivered straight to your inbox.",
  };
  private static final String[] FOOTERS = {
    "Share this article: Facebook Twitter Email Print. Copyright 2024 Example Media Group. All rights reserved. Terms of use | Privacy policy | Contact us.",
    "Related stories you may have missed. Sign up to our newsletter. Comments are closed for this article. Report an error or typo to the editors.",
    "Posted in General. Tags: news, politics, community. Previous post | Next post. Leave a reply: your email address will not be published.",
  };

  private final SplittableRandom random;
  private final Shingler wordShingler = new Shingler(MinHashConfig.ShingleKind.WORD, 5);
  private final List<String> vocabulary = new ArrayList<>();

  public NearDupGenerator(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /**
   * Originals: {@code news} documents with at least {@code minWords} words, all speeches and prose;
   * long ones cut to their first {@code maxWords} words at a paragraph boundary.
   */
  public List<Doc> originals(
      Path corpora, int news, int speeches, int prose, int minWords, int maxWords)
      throws IOException {
    List<Doc> out = new ArrayList<>();
    out.addAll(pick(read(corpora.resolve("news.jsonl.gz"), "news", minWords, maxWords), news));
    out.addAll(
        pick(read(corpora.resolve("speeches.jsonl.gz"), "speeches", minWords, maxWords), speeches));
    out.addAll(pick(read(corpora.resolve("prose.jsonl.gz"), "prose", minWords, maxWords), prose));
    for (Doc d : out) {
      for (String w : d.text().split("\\s+")) {
        if (!w.isEmpty()) {
          vocabulary.add(w);
        }
      }
    }
    return out;
  }

  private List<Doc> pick(List<Doc> docs, int count) {
    List<Doc> copy = new ArrayList<>(docs);
    Collections.shuffle(copy, new java.util.Random(random.nextLong()));
    return copy.subList(0, Math.min(count, copy.size()));
  }

  private static List<Doc> read(Path file, String genre, int minWords, int maxWords)
      throws IOException {
    List<Doc> docs = new ArrayList<>();
    for (JsonNode node : dev.winnow.bench.BenchEnv.jsonLines(file)) {
      String text = cut(node.get("text").asText(), maxWords);
      if (text.split("\\s+").length >= minWords) {
        String id = node.get("id").asText();
        docs.add(new Doc(id, text, id, genre));
      }
    }
    return docs;
  }

  /**
   * The first paragraphs of {@code text} holding at most {@code maxWords} words (at least one
   * paragraph).
   */
  private static String cut(String text, int maxWords) {
    StringBuilder sb = new StringBuilder();
    int words = 0;
    for (String para : text.split("\n")) {
      int w = para.isBlank() ? 0 : para.trim().split("\\s+").length;
      if (words > 0 && words + w > maxWords) {
        break;
      }
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(para);
      words += w;
    }
    return sb.toString();
  }

  /** {@code perOriginal} variants of each original, ids {@code <original>~v<i>}. */
  public List<Doc> variants(List<Doc> originals, int perOriginal) {
    List<Doc> out = new ArrayList<>();
    for (Doc o : originals) {
      long[] originalSet = wordShingler.shingleSet(o.text());
      for (int v = 0; v < perOriginal; v++) {
        out.add(new Doc(o.id() + "~v" + v, variant(o.text(), originalSet), o.id(), o.genre()));
      }
    }
    return out;
  }

  /**
   * Adds the words of {@code text} to the vocabulary that insertions and substitutions draw from.
   */
  public void addVocabulary(String text) {
    for (String w : text.split("\\s+")) {
      if (!w.isEmpty()) {
        vocabulary.add(w);
      }
    }
  }

  /** One variant of {@code original} at a similarity drawn as for {@link #variants}. */
  public String variant(String original) {
    return variant(original, wordShingler.shingleSet(original));
  }

  private String variant(String original, long[] originalSet) {
    double u = random.nextDouble();
    double target =
        u < 0.70
            ? 0.5 + random.nextDouble() * 0.5
            : u < 0.85 ? 0.3 + random.nextDouble() * 0.2 : 1.0;
    boolean header = random.nextDouble() < 0.3 && random.nextBoolean();
    boolean footer = header ? random.nextBoolean() : random.nextDouble() < 0.3;
    int headerIndex = random.nextInt(HEADERS.length);
    int footerIndex = random.nextInt(FOOTERS.length);
    int reorder = random.nextDouble() < 0.3 ? (random.nextBoolean() ? 1 : 2) : 0;
    long editSeed = random.nextLong();
    EditPlan plan =
        new EditPlan(
            header ? HEADERS[headerIndex] : null,
            footer ? FOOTERS[footerIndex] : null,
            reorder,
            editSeed);

    String best = apply(original, plan, 0.0);
    if (target >= 1.0 || Shingler.jaccard(wordShingler.shingleSet(best), originalSet) <= target) {
      return best;
    }
    double lo = 0.0;
    double hi = 0.6;
    for (int i = 0; i < 7; i++) {
      double mid = (lo + hi) / 2;
      String candidate = apply(original, plan, mid);
      if (Shingler.jaccard(wordShingler.shingleSet(candidate), originalSet) >= target) {
        lo = mid;
        best = candidate;
      } else {
        hi = mid;
      }
    }
    return best;
  }

  private record EditPlan(String header, String footer, int reorder, long seed) {}

  private String apply(String original, EditPlan plan, double rate) {
    SplittableRandom r = new SplittableRandom(plan.seed());
    List<String> paragraphs = new ArrayList<>(List.of(original.split("\n")));
    if (plan.reorder() == 1 && paragraphs.size() >= 2) {
      Collections.swap(paragraphs, r.nextInt(paragraphs.size()), r.nextInt(paragraphs.size()));
    } else if (plan.reorder() == 2) {
      Collections.shuffle(paragraphs, new java.util.Random(r.nextLong()));
    }
    StringBuilder sb = new StringBuilder(original.length() + 256);
    if (plan.header() != null) {
      sb.append(plan.header()).append('\n');
    }
    for (int p = 0; p < paragraphs.size(); p++) {
      if (p > 0) {
        sb.append('\n');
      }
      boolean first = true;
      for (String w : paragraphs.get(p).split(" ")) {
        // Draw the same random numbers whatever the rate, so a higher rate edits a superset
        // of positions and the similarity falls steadily as bisection raises it.
        double x = r.nextDouble();
        int op = r.nextInt(3);
        String other = vocabulary.get(r.nextInt(vocabulary.size()));
        if (x < rate) {
          switch (op) {
            case 0 -> { // insertion before the word
              first = appendWord(sb, other, first);
              first = appendWord(sb, w, first);
            }
            case 1 -> {} // deletion
            default -> first = appendWord(sb, other, first); // substitution
          }
        } else {
          first = appendWord(sb, w, first);
        }
      }
    }
    if (plan.footer() != null) {
      sb.append('\n').append(plan.footer());
    }
    return sb.toString();
  }

  private static boolean appendWord(StringBuilder sb, String w, boolean first) {
    if (!first) {
      sb.append(' ');
    }
    sb.append(w);
    return false;
  }
}
