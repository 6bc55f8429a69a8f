package dev.winnow.bench.pool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.winnow.bench.BenchEnv;
import dev.winnow.prompt.model.ProxyLm;
import dev.winnow.prompt.pool.Demonstration;
import dev.winnow.prompt.pool.DemonstrationEmbedder;
import dev.winnow.prompt.pool.DemonstrationPool;
import dev.winnow.prompt.pool.PoolHit;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Recall@10 of the pool's HNSW search against exact brute-force search over the same vectors, and
 * query latency, on a pool of at least 10,000 demonstrations made from the web and news corpora of
 * ../shared (input: the text's first 400 characters; output: its first line). Writes
 * bench/results/pools.md.
 *
 * <p>{@code mvn -B -q -pl bench exec:exec -Dbench.main=dev.winnow.bench.pool.PoolRecallBenchmark}
 */
public final class PoolRecallBenchmark {
  private PoolRecallBenchmark() {}

  public static void main(String[] args) throws Exception {
    int size = Integer.parseInt(System.getProperty("pool.size", "10000"));
    int queries = Integer.parseInt(System.getProperty("pool.queries", "200"));
    int embedTokens = Integer.parseInt(System.getProperty("pool.embedTokens", "64"));
    List<Demonstration> all = load(size + queries);
    List<Demonstration> demos = all.subList(0, size);
    List<Demonstration> held = all.subList(size, all.size());
    Path dir = Files.createTempDirectory("winnow-pool-bench");
    StringBuilder md = new StringBuilder();
    try (ProxyLm lm =
            ProxyLm.loadCpu(
                BenchEnv.shared().resolve("models/proxy-mini"),
                Runtime.getRuntime().availableProcessors());
        DemonstrationPool pool =
            DemonstrationPool.open(dir, new DemonstrationEmbedder(lm, embedTokens))) {
      long t0 = System.nanoTime();
      for (int i = 0; i < demos.size(); i += 1000) {
        pool.upsert(demos.subList(i, Math.min(demos.size(), i + 1000)));
        System.err.printf(Locale.ROOT, "indexed %d%n", Math.min(demos.size(), i + 1000));
      }
      double buildS = (System.nanoTime() - t0) / 1e9;
      List<float[]> vectors = new ArrayList<>();
      for (Demonstration q : held) {
        vectors.add(pool.embedder().embed(q.input()));
      }
      md.append("# Demonstration pools: HNSW recall and query latency\n\n")
          .append("Machine: ")
          .append(BenchEnv.machine())
          .append("\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "Pool: %,d demonstrations from `../shared/corpora` (web + news; input = first 400 "
                      + "characters, output = first line), proxy-mini embeddings of the first %d tokens (128 dimensions, unit length, "
                      + "dot product), Lucene 9.12 HNSW defaults (M = 16, beam 100). Built in %.1f s (embedding included). "
                      + "%d held-out queries; exact = brute force over the same vectors.%n%n",
                  pool.size(),
                  embedTokens,
                  buildS,
                  held.size()))
          .append(
              "| segments | candidates | recall@10 | HNSW p50 ms | HNSW p99 ms | exact p50 ms |\n|---|---|---|---|---|---|\n");
      for (boolean merged : new boolean[] {false, true}) {
        if (merged) {
          pool.forceMerge();
        }
        for (int candidates : new int[] {10, 50, 100, 200}) {
          double[] hnswMs = new double[vectors.size()];
          double[] exactMs = new double[vectors.size()];
          long found = 0;
          for (int i = 0; i < vectors.size(); i++) {
            long a = System.nanoTime();
            List<PoolHit> approx = pool.knn(vectors.get(i), 10, candidates);
            long b = System.nanoTime();
            List<PoolHit> exact = pool.exactKnn(vectors.get(i), 10);
            long c = System.nanoTime();
            hnswMs[i] = (b - a) / 1e6;
            exactMs[i] = (c - b) / 1e6;
            List<String> ids = exact.stream().map(PoolHit::id).toList();
            found += approx.stream().filter(h -> ids.contains(h.id())).count();
          }
          String row =
              String.format(
                  Locale.ROOT,
                  "| %d | %d | %.4f | %.2f | %.2f | %.2f |%n",
                  pool.segments(),
                  candidates,
                  found / (10.0 * vectors.size()),
                  pct(hnswMs, 50),
                  pct(hnswMs, 99),
                  pct(exactMs, 50));
          System.err.print(row);
          md.append(row);
        }
      }
      md.append(
          "\nLatency is one query's `DemonstrationPool.knn` / `exactKnn` call (search, stored fields and vectors of the "
              + "hits), the query already embedded; the first pass includes JIT warm-up.\n");
    }
    Files.writeString(BenchEnv.result("pools.md"), md.toString());
    System.out.print(md);
  }

  static double pct(double[] v, double p) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[Math.min(s.length - 1, (int) Math.ceil(p / 100 * s.length) - 1)];
  }

  static List<Demonstration> load(int count) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Demonstration> out = new ArrayList<>();
    for (String corpus : List.of("web", "news")) {
      Path file = BenchEnv.shared().resolve("corpora/" + corpus + ".jsonl.gz");
      try (BufferedReader in =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null && out.size() < count) {
          JsonNode d = json.readTree(line);
          String text = d.get("text").asText().strip();
          if (text.length() < 40) {
            continue;
          }
          int nl = text.indexOf('\n');
          String first =
              nl > 0 ? text.substring(0, nl) : text.substring(0, Math.min(80, text.length()));
          out.add(
              new Demonstration(
                      d.get("id").asText(),
                      text.substring(0, Math.min(400, text.length())),
                      first,
                      null)
                  .validated("demonstration"));
        }
      }
    }
    if (out.size() < count) {
      throw new IllegalStateException(
          "the corpora hold only " + out.size() + " usable texts; asked for " + count);
    }
    return out;
  }
}
