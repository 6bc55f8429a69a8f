package dev.winnow.prompt.pool;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;

/**
 * A named, persistent pool of demonstrations: a Lucene index on disk with the input under BM25
 * ({@link BM25Similarity}, k1 = 1.2, b = 0.75, {@link StandardAnalyzer}) and the input's embedding
 * in an HNSW graph ({@link KnnFloatVectorField}, dot product of unit vectors = cosine). Reopening
 * the directory gives back the same pool; demonstrations are added, replaced and deleted by id.
 *
 * <p>Thread-safe. Every write of {@link #upsert} and {@link #delete} is committed before it returns
 * and is visible to the next search; {@link #stage} and {@link #stageDelete} wait for {@link
 * #commit()}. Searches run without an executor, segment after segment, so the same query on the
 * same index gives the same answer; ties are broken by id.
 *
 * <pre>{@code
 * try (DemonstrationPool pool = DemonstrationPool.open(dir, new DemonstrationEmbedder(lm, 128))) {
 *     pool.upsert(List.of(new Demonstration("d1", "2 + 2", "4", null)));
 *     List<PoolHit> hits = pool.knn(pool.embedder().embed("3 + 3"), 10, 100);
 * }
 * }</pre>
 */
public final class DemonstrationPool implements AutoCloseable {
  static final String ID = "id";
  static final String INPUT = "input";
  static final String OUTPUT = "output";
  static final String META = "meta";
  static final String TOKENS = "tokens";
  static final String VECTOR = "vector";
  static final String SETTINGS_FILE = "pool.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final DemonstrationEmbedder embedder;
  private final PoolSettings settings;
  private final Directory luceneDir;
  private final Analyzer analyzer = new StandardAnalyzer();
  private final IndexWriter writer;
  private final SearcherManager searchers;

  private DemonstrationPool(Path directory, DemonstrationEmbedder embedder, PoolSettings settings)
      throws IOException {
    this.directory = directory;
    this.embedder = embedder;
    this.settings = settings;
    this.luceneDir = FSDirectory.open(directory.resolve("index"));
    IndexWriterConfig config =
        new IndexWriterConfig(analyzer)
            .setSimilarity(new BM25Similarity())
            .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
            .setCommitOnClose(true);
    try {
      this.writer = new IndexWriter(luceneDir, config);
    } catch (LockObtainFailedException e) {
      luceneDir.close();
      throw new IllegalStateException(
          "pool "
              + directory
              + " is open in another process or pool object "
              + "(Lucene write lock held); close that one first",
          e);
    }
    this.searchers = new SearcherManager(writer, null);
  }

  /**
   * Opens the pool in {@code directory}, creating it when the directory is new or empty. An
   * existing pool must have been built with the same model (checked by {@link
   * PoolSettings#probe()}) and is embedded with its own {@code embed_tokens}, whatever {@code
   * embedder} says.
   */
  public static DemonstrationPool open(Path directory, DemonstrationEmbedder embedder) {
    try {
      Files.createDirectories(directory);
      Path file = directory.resolve(SETTINGS_FILE);
      PoolSettings settings;
      if (Files.exists(file)) {
        settings = JSON.readValue(file.toFile(), PoolSettings.class);
        checkCompatible(directory, settings, embedder);
        if (settings.embedTokens() != embedder.embedTokens()) {
          embedder = new DemonstrationEmbedder(embedder.model(), settings.embedTokens());
        }
      } else {
        settings =
            new PoolSettings(
                PoolSettings.FORMAT,
                embedder.dimension(),
                embedder.embedTokens(),
                embedder.embed(DemonstrationEmbedder.PROBE_TEXT));
        Path tmp = directory.resolve(SETTINGS_FILE + ".tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), settings);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return new DemonstrationPool(directory, embedder, settings);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open demonstration pool " + directory + ": " + e.getMessage(), e);
    }
  }

  private static void checkCompatible(
      Path directory, PoolSettings settings, DemonstrationEmbedder embedder) {
    if (settings.format() != PoolSettings.FORMAT) {
      throw new IllegalStateException(
          "pool "
              + directory
              + " has format "
              + settings.format()
              + "; this build reads format "
              + PoolSettings.FORMAT
              + ": rebuild the pool");
    }
    if (settings.dimension() != embedder.dimension()) {
      throw new IllegalStateException(
          "pool "
              + directory
              + " holds "
              + settings.dimension()
              + "-dimensional vectors but the model gives "
              + embedder.dimension()
              + ": open it with the model that built it, or rebuild it");
    }
    DemonstrationEmbedder probeEmbedder =
        new DemonstrationEmbedder(embedder.model(), settings.embedTokens());
    double cos =
        DemonstrationEmbedder.dot(
            settings.probe(), probeEmbedder.embed(DemonstrationEmbedder.PROBE_TEXT));
    if (!(cos >= 0.999)) {
      throw new IllegalStateException(
          String.format(
              java.util.Locale.ROOT,
              "pool %s was built with another model "
                  + "(probe embedding cosine %.4f < 0.999): open it with the model that built it, or rebuild it",
              directory,
              cos));
    }
  }

  public Path directory() {
    return directory;
  }

  public DemonstrationEmbedder embedder() {
    return embedder;
  }

  public PoolSettings settings() {
    return settings;
  }

  /** Number of demonstrations (live documents). */
  public int size() {
    return withSearcher(s -> s.getIndexReader().numDocs());
  }

  /** Number of index segments (each has its own HNSW graph). */
  public int segments() {
    return withSearcher(s -> s.getIndexReader().leaves().size());
  }

  /**
   * Adds the demonstrations, replacing any with the same id, embeds their inputs in batches, and
   * commits. Demonstrations must be {@link Demonstration#validated validated}.
   */
  public void upsert(List<Demonstration> demonstrations) {
    if (demonstrations.isEmpty()) {
      return;
    }
    List<float[]> vectors =
        embedder.embed(demonstrations.stream().map(Demonstration::input).toList());
    try {
      for (int i = 0; i < demonstrations.size(); i++) {
        stage(demonstrations.get(i), vectors.get(i));
      }
      commit();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write to pool " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Adds a demonstration whose input was already embedded (by this pool's model and {@code
   * embed_tokens}, as {@link DemonstrationEmbedder#embedTokenized}), replacing any with the same
   * id; durable and visible after the next {@link #commit()}. For writers that embed elsewhere (the
   * pool-indexing job embeds in parallel subtasks) and commit on their own schedule.
   *
   * @throws IllegalArgumentException if the vector has the wrong dimension or is not of length 1
   */
  public void stage(Demonstration d, float[] vector) throws IOException {
    checkQueryVector(vector);
    double norm = Math.sqrt(DemonstrationEmbedder.dot(vector, vector));
    if (!(Math.abs(norm - 1) < 1e-3)) {
      throw new IllegalArgumentException(
          "vector of demonstration "
              + d.id()
              + " has length "
              + norm
              + "; a pool holds unit vectors (dot product = cosine)");
    }
    Document doc = new Document();
    doc.add(new StringField(ID, d.id(), Field.Store.YES));
    doc.add(new TextField(INPUT, d.input(), Field.Store.YES));
    doc.add(new StoredField(OUTPUT, d.output()));
    doc.add(new StoredField(META, JSON.writeValueAsString(d.metaOrEmpty())));
    doc.add(new StoredField(TOKENS, embedder.model().oaiTokens(d.render())));
    doc.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
    writer.updateDocument(new Term(ID, d.id()), doc);
  }

  /**
   * Deletes the demonstration with that id, if any; durable and visible after the next {@link
   * #commit()}.
   */
  public void stageDelete(String id) throws IOException {
    writer.deleteDocuments(new Term(ID, id));
  }

  /** Deletes a demonstration; false when there was none with that id. */
  public boolean delete(String id) {
    if (get(id).isEmpty()) {
      return false;
    }
    try {
      stageDelete(id);
      commit();
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot delete from pool " + directory + ": " + e.getMessage(), e);
    }
  }

  public Optional<Demonstration> get(String id) {
    return withSearcher(
        s -> {
          TopDocs top = s.search(new TermQuery(new Term(ID, id)), 1);
          return top.scoreDocs.length == 0
              ? Optional.empty()
              : Optional.of(hit(s, top.scoreDocs[0].doc, 0).demonstration());
        });
  }

  /** Merges the index into one segment (one HNSW graph): slower to write, fastest to search. */
  public void forceMerge() {
    try {
      writer.forceMerge(1);
      commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot merge pool " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Makes every staged change durable (a Lucene commit) and visible to searches. */
  public void commit() throws IOException {
    writer.commit();
    searchers.maybeRefreshBlocking();
  }

  /**
   * The {@code n} demonstrations nearest to the unit vector {@code query} by the HNSW graph,
   * exploring {@code max(n, numCandidates)} candidates per segment (more is slower and closer to
   * exact).
   */
  public List<PoolHit> knn(float[] query, int n, int numCandidates) {
    checkQueryVector(query);
    return withSearcher(
        s -> {
          TopDocs top =
              s.search(
                  new KnnFloatVectorQuery(VECTOR, query, Math.max(n, numCandidates)),
                  Math.max(n, numCandidates));
          List<PoolHit> hits = new ArrayList<>();
          for (ScoreDoc sd : top.scoreDocs) {
            hits.add(
                hit(s, sd.doc, 2.0 * sd.score - 1)); // Lucene's dot-product score is (1 + cos) / 2
          }
          return best(hits, n);
        });
  }

  /**
   * The {@code n} nearest by exact (brute-force) search over every vector: the reference for
   * recall.
   */
  public List<PoolHit> exactKnn(float[] query, int n) {
    checkQueryVector(query);
    return withSearcher(
        s -> {
          PriorityQueue<double[]> heap = new PriorityQueue<>(Comparator.comparingDouble(a -> a[0]));
          for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
            FloatVectorValues values = leaf.reader().getFloatVectorValues(VECTOR);
            Bits live = leaf.reader().getLiveDocs();
            if (values == null) {
              continue;
            }
            for (int doc = values.nextDoc();
                doc != FloatVectorValues.NO_MORE_DOCS;
                doc = values.nextDoc()) {
              if (live != null && !live.get(doc)) {
                continue;
              }
              double cos = DemonstrationEmbedder.dot(query, values.vectorValue());
              heap.add(new double[] {cos, leaf.docBase + doc});
              if (heap.size()
                  > n + 16) { // keep a margin so that ties at the cut are resolved by id below
                heap.poll();
              }
            }
          }
          List<PoolHit> hits = new ArrayList<>();
          for (double[] e : heap) {
            hits.add(hit(s, (int) e[1], e[0]));
          }
          return best(hits, n);
        });
  }

  /** The {@code n} best demonstrations by BM25 of the query's terms against the inputs. */
  public List<PoolHit> bm25(String query, int n) {
    Set<String> terms = analyze(query);
    if (terms.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder q = new BooleanQuery.Builder();
    int max = IndexSearcher.getMaxClauseCount();
    terms.stream()
        .limit(max)
        .forEach(t -> q.add(new TermQuery(new Term(INPUT, t)), BooleanClause.Occur.SHOULD));
    Query query1 = q.build();
    return withSearcher(
        s -> {
          TopDocs top = s.search(query1, n + 16);
          List<PoolHit> hits = new ArrayList<>();
          for (ScoreDoc sd : top.scoreDocs) {
            hits.add(hit(s, sd.doc, sd.score));
          }
          return best(hits, n);
        });
  }

  private Set<String> analyze(String text) {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream ts = analyzer.tokenStream(INPUT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        terms.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return terms;
  }

  /** Best first by score, ties by id, at most {@code n}. */
  static List<PoolHit> best(List<PoolHit> hits, int n) {
    return hits.stream()
        .sorted(Comparator.comparingDouble(PoolHit::score).reversed().thenComparing(PoolHit::id))
        .limit(n)
        .toList();
  }

  private void checkQueryVector(float[] query) {
    if (query.length != settings.dimension()) {
      throw new IllegalArgumentException(
          "query vector has "
              + query.length
              + " dimensions; the pool's have "
              + settings.dimension());
    }
  }

  private PoolHit hit(IndexSearcher s, int doc, double score) throws IOException {
    Document d = s.storedFields().document(doc);
    Demonstration demo =
        new Demonstration(
            d.get(ID), d.get(INPUT), d.get(OUTPUT), (ObjectNode) JSON.readTree(d.get(META)));
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    LeafReader reader = leaf.reader();
    FloatVectorValues values = reader.getFloatVectorValues(VECTOR);
    int local = doc - leaf.docBase;
    if (values == null || values.advance(local) != local) {
      throw new IllegalStateException(
          "demonstration " + demo.id() + " in pool " + directory + " has no vector");
    }
    return new PoolHit(
        demo, score, d.getField(TOKENS).numericValue().intValue(), values.vectorValue().clone());
  }

  private interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherFunction<T> f) {
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return f.apply(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search pool " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Commits and closes the index; the pool can be reopened from its directory. */
  @Override
  public void close() {
    try {
      searchers.close();
      writer.close();
      luceneDir.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close pool " + directory + ": " + e.getMessage(), e);
    }
  }
}
