package dev.winnow.kernels.cpu;

import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelWeights;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.kernels.scoring.SessionAppend;
import dev.winnow.kernels.scoring.TokenLogProbs;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link ScoringEngine} on the CPU: a multithreaded float32 forward pass ({@link
 * CpuForwardPass}) whose weight products go through a {@link MatrixProducts} backend, over the
 * weights of a loaded model. Callers get one from {@code dev.winnow.kernels.engine.ScoringEngines},
 * which chooses the backend and precision from the options and says why.
 *
 * <p>A batch is scored as one forward pass over the concatenated tokens of all its sequences (no
 * padding); each sequence attends only to itself.
 *
 * <p>Threads: one budget, the Java workers'. They run norms, attention and activations, and split
 * every product into tiles; a native backend computes each tile on the calling worker,
 * single-threaded, so no library starts threads of its own beside them.
 */
public final class CpuScoringEngine implements ScoringEngine {
  private final ModelConfig config;
  private final WorkerPool pool;
  private final MatrixProducts products;
  private final CpuForwardPass forward;
  private final NextTokenHead head;

  /**
   * An engine on the Java backend using one thread per available core.
   *
   * @deprecated use {@code ScoringEngines.open(weights, EngineOptions.defaults())}
   */
  @Deprecated
  public CpuScoringEngine(ModelWeights weights) {
    this(weights, Runtime.getRuntime().availableProcessors());
  }

  /**
   * An engine on the Java backend using {@code threads} worker threads.
   *
   * @deprecated use {@code ScoringEngines.open(weights,
   *     EngineOptions.defaults().withThreads(threads))}
   */
  @Deprecated
  public CpuScoringEngine(ModelWeights weights, int threads) {
    this(weights, new WorkerPool(threads), null);
  }

  private CpuScoringEngine(ModelWeights weights, WorkerPool pool, MatrixProducts products) {
    this.config = weights.config();
    this.pool = pool;
    this.products = products != null ? products : new JavaMatrixProducts(pool);
    this.forward = new CpuForwardPass(weights, pool, this.products);
    this.head =
        new NextTokenHead(
            weights.head(),
            weights.config().hiddenSize(),
            weights.config().vocabSize(),
            pool,
            this.products);
  }

  /**
   * An engine with {@code threads} threads in all whose products run on {@code backend}.
   *
   * @throws MatrixBackendUnavailableException if that backend cannot run here (its message says
   *     why)
   */
  public static CpuScoringEngine open(ModelWeights weights, int threads, MatrixBackend backend) {
    WorkerPool pool = new WorkerPool(threads);
    MatrixProducts products = null;
    try {
      products = MatrixProducts.open(backend, pool);
      return new CpuScoringEngine(weights, pool, products);
    } catch (RuntimeException | Error e) {
      if (products != null) {
        products.close(); // native copies of the weights packed before the failure
      }
      pool.close();
      throw e;
    }
  }

  /** The backend of the weight products. */
  public MatrixBackend backend() {
    return products.backend();
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  /** Worker threads used. */
  public int threads() {
    return pool.threads();
  }

  @Override
  public List<TokenLogProbs> score(List<int[]> sequences) {
    int count = sequences.size();
    if (count == 0) {
      return List.of();
    }
    int[][] tokens = sequences.toArray(new int[0][]);
    int[][] positions = new int[count][];
    KvCache[] caches = new KvCache[count];
    int rows = 0;
    for (int s = 0; s < count; s++) {
      checkLength(tokens[s].length, s);
      positions[s] = range(0, tokens[s].length);
      caches[s] = forward.newCache(tokens[s].length);
      rows += tokens[s].length;
    }
    float[] hidden = forward.forward(tokens, positions, caches);
    int[] targets = new int[rows];
    int r = 0;
    for (int[] seq : tokens) {
      for (int t = 0; t < seq.length; t++) {
        targets[r++] = t + 1 < seq.length ? seq[t + 1] : -1;
      }
    }
    float[] logProbs = new float[rows];
    int[] argmax = new int[rows];
    head.apply(hidden, rows, targets, logProbs, argmax);
    List<TokenLogProbs> out = new ArrayList<>(count);
    r = 0;
    for (int[] seq : tokens) {
      float[] lp = new float[Math.max(0, seq.length - 1)];
      System.arraycopy(logProbs, r, lp, 0, lp.length);
      int[] am = new int[seq.length];
      System.arraycopy(argmax, r, am, 0, seq.length);
      out.add(new TokenLogProbs(seq.clone(), lp, am));
      r += seq.length;
    }
    return out;
  }

  @Override
  public List<float[]> embed(List<int[]> sequences) {
    int count = sequences.size();
    if (count == 0) {
      return List.of();
    }
    int[][] tokens = sequences.toArray(new int[0][]);
    int[][] positions = new int[count][];
    KvCache[] caches = new KvCache[count];
    for (int s = 0; s < count; s++) {
      checkLength(tokens[s].length, s);
      positions[s] = range(0, tokens[s].length);
      caches[s] = forward.newCache(tokens[s].length);
    }
    float[] hidden = forward.forward(tokens, positions, caches);
    int d = config().hiddenSize();
    List<float[]> out = new ArrayList<>(count);
    int r = 0;
    for (int[] seq : tokens) {
      double[] sum = new double[d];
      for (int t = 0; t < seq.length; t++, r++) {
        for (int j = 0; j < d; j++) {
          sum[j] += hidden[r * d + j];
        }
      }
      float[] mean = new float[d];
      for (int j = 0; j < d; j++) {
        mean[j] = (float) (sum[j] / seq.length);
      }
      out.add(mean);
    }
    return out;
  }

  @Override
  public ScoringSession newSession() {
    return new CpuScoringSession(this);
  }

  /**
   * One forward pass over the new tokens of every session (each after its own KV cache, no padding)
   * and one next-token head call over all rows that predict an appended token: the first appended
   * token is predicted from the last cached position's hidden state (as computed when it was
   * appended), the others from the new positions. Rows are independent in every product, so each
   * session gets exactly what appending alone gives.
   */
  @Override
  public List<float[]> appendAll(List<SessionAppend> appends) {
    int count = appends.size();
    CpuScoringSession[] sessions = new CpuScoringSession[count];
    java.util.Set<CpuScoringSession> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    List<Integer> live = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SessionAppend a = appends.get(i);
      if (!(a.session() instanceof CpuScoringSession s) || s.engine() != this) {
        throw new IllegalArgumentException(
            "append " + i + ": the session is not a session of this engine");
      }
      if (!seen.add(s)) {
        throw new IllegalArgumentException(
            "append " + i + ": the same session appears twice in one batch");
      }
      sessions[i] = s;
      int before = s.cache().length;
      int n = a.tokens().length;
      if (before + n > contextLength()) {
        throw new IllegalArgumentException(
            "appending "
                + n
                + " tokens to a session of "
                + before
                + " would exceed the context length "
                + contextLength()
                + "; remove a span first");
      }
      if (n > 0) {
        live.add(i);
      }
    }
    int m = live.size();
    int[][] tokens = new int[m][];
    int[][] positions = new int[m][];
    KvCache[] caches = new KvCache[m];
    int[] before = new int[m];
    for (int j = 0; j < m; j++) {
      int i = live.get(j);
      tokens[j] = appends.get(i).tokens().clone();
      caches[j] = sessions[i].cache();
      before[j] = caches[j].length;
      positions[j] = range(before[j], before[j] + tokens[j].length);
    }
    if (m > 0) {
      forward.forward(tokens, positions, caches);
    }
    // rows predicting each appended token: the previous cached position (none for an empty
    // session),
    // then the new ones but the last
    int d = config().hiddenSize();
    int rows = 0;
    for (int j = 0; j < m; j++) {
      rows += tokens[j].length - (before[j] == 0 ? 1 : 0);
    }
    float[] hidden = new float[rows * d];
    int[] targets = new int[rows];
    int r = 0;
    for (int j = 0; j < m; j++) {
      int first = before[j] == 0 ? 1 : 0;
      int k = tokens[j].length - first;
      int startPosition = before[j] == 0 ? 0 : before[j] - 1;
      System.arraycopy(caches[j].hidden, startPosition * d, hidden, r * d, k * d);
      System.arraycopy(tokens[j], first, targets, r, k);
      r += k;
    }
    float[] logProbs = new float[rows];
    if (rows > 0) {
      head.apply(hidden, rows, targets, logProbs, new int[rows]);
    }
    List<float[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new float[appends.get(i).tokens().length]);
    }
    r = 0;
    for (int j = 0; j < m; j++) {
      float[] o = out.get(live.get(j));
      int first = before[j] == 0 ? 1 : 0;
      o[0] = Float.NaN;
      int k = tokens[j].length - first;
      System.arraycopy(logProbs, r, o, first, k);
      r += k;
    }
    return out;
  }

  /**
   * Log-probabilities of {@code tokens} run with explicit position ids (a full pass, no cache):
   * {@code logProbs[i] = ln p(tokens[i+1] | tokens[..i])} where token {@code j} is embedded at
   * position {@code positions[j]}. With {@code positions = 0..n−1} this is {@link #score}; other
   * ids reproduce what a session computes after {@link ScoringSession#removeSpan}.
   */
  public TokenLogProbs scoreWithPositions(int[] tokens, int[] positions) {
    checkLength(tokens.length, 0);
    KvCache cache = forward.newCache(tokens.length);
    float[] hidden =
        forward.forward(new int[][] {tokens}, new int[][] {positions}, new KvCache[] {cache});
    int[] targets = new int[tokens.length];
    for (int t = 0; t < tokens.length; t++) {
      targets[t] = t + 1 < tokens.length ? tokens[t + 1] : -1;
    }
    float[] logProbs = new float[tokens.length];
    int[] argmax = new int[tokens.length];
    head.apply(hidden, tokens.length, targets, logProbs, argmax);
    return new TokenLogProbs(
        tokens.clone(), java.util.Arrays.copyOf(logProbs, Math.max(0, tokens.length - 1)), argmax);
  }

  CpuForwardPass forwardPass() {
    return forward;
  }

  NextTokenHead head() {
    return head;
  }

  private void checkLength(int length, int index) {
    if (length < 1 || length > contextLength()) {
      throw new IllegalArgumentException(
          "sequence "
              + index
              + " has "
              + length
              + " tokens: must be 1 to "
              + contextLength()
              + " (the model's context length); score longer documents in windows "
              + "with DocumentScorer");
    }
  }

  static int[] range(int from, int to) {
    int[] r = new int[to - from];
    for (int i = 0; i < r.length; i++) {
      r[i] = from + i;
    }
    return r;
  }

  @Override
  public void close() {
    pool.close();
    products.close();
  }
}
