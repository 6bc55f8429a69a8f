package dev.winnow.selection.dsir;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.selection.testing.SharedCorpora;
import dev.winnow.selection.testing.SharedCorpora.Doc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Evidence on real text: news as the target, a mixed pool of held-apart news, web, reviews, prose
 * and speeches as the raw data; the top 10% of the pool by DSIR weight should be mostly news.
 */
class DsirNewsPoolTest {

  /** Target news: even crc32 of the id; the pool gets the other news documents (disjoint). */
  static boolean targetNews(Doc d) {
    return SharedCorpora.crc32(d.id()) % 2 == 0;
  }

  /**
   * The pool: 1,000 news documents not in the target, 5,000 web, all reviews, prose and speeches.
   */
  static List<Doc> pool(List<Doc> news) {
    List<Doc> pool =
        new ArrayList<>(news.stream().filter(d -> !targetNews(d)).limit(1000).toList());
    pool.addAll(SharedCorpora.read("web").subList(0, 5000));
    pool.addAll(SharedCorpora.read("reviews"));
    pool.addAll(SharedCorpora.read("prose"));
    pool.addAll(SharedCorpora.read("speeches"));
    return pool;
  }

  /** Fraction of news among the top {@code fraction} of the pool by log-weight. */
  static double precisionAt(DsirModel m, List<Doc> pool, double fraction) {
    int k = (int) Math.round(pool.size() * fraction);
    List<Doc> ranked =
        pool.stream()
            .sorted(
                Comparator.comparingDouble((Doc d) -> -m.logWeight(d.text()))
                    .thenComparing(Doc::id))
            .limit(k)
            .toList();
    return ranked.stream().filter(d -> d.corpus().equals("news")).count() / (double) k;
  }

  @Test
  void newsTargetPicksMostlyNewsOutOfAMixedPool() {
    List<Doc> news = SharedCorpora.read("news");
    List<Doc> pool = pool(news);
    List<String> target =
        news.stream().filter(DsirNewsPoolTest::targetNews).map(Doc::text).toList();
    DsirModel m = DsirModel.fit(new DsirConfig(), target, pool.stream().map(Doc::text).toList());
    double newsShare =
        pool.stream().filter(d -> d.corpus().equals("news")).count() / (double) pool.size();
    double p10 = precisionAt(m, pool, 0.10);
    System.out.printf(
        "DSIR news target: pool %d docs, news share %.3f, precision@10%% %.3f%n",
        pool.size(), newsShare, p10);
    assertTrue(newsShare < 0.13, "the pool is mostly not news: " + newsShare);
    assertTrue(p10 >= 0.90, "precision of news in the top 10% by DSIR weight: " + p10);
  }
}
