package dev.winnow.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.winnow.kernels.engine.EngineOptions;
import dev.winnow.kernels.engine.ScoringEngines;
import dev.winnow.kernels.model.LoadedModel;
import dev.winnow.kernels.model.ModelLoader;
import dev.winnow.kernels.scoring.ScoringEngine;
import dev.winnow.kernels.scoring.ScoringSession;
import dev.winnow.kernels.scoring.SessionAppend;
import dev.winnow.kernels.scoring.TokenLogProbs;
import dev.winnow.kernels.testing.SharedData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Batching, sessions and span removal on the three architecture fixtures, checked against full
 * passes and against {@link ReferenceForward} with explicit position ids and attention masks.
 */
class CpuScoringSessionTest {
  private static final double EXACT = 1e-5;

  private static LoadedModel load(String fixture) {
    return ModelLoader.load(SharedData.fixture(fixture));
  }

  private static int[] randomTokens(Random random, int n, int vocab) {
    int[] t = new int[n];
    for (int i = 0; i < n; i++) {
      t[i] = random.nextInt(vocab);
    }
    return t;
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void referenceForwardMatchesGolden(String fixture) {
    LoadedModel model = load(fixture);
    ReferenceForward reference = new ReferenceForward(model.weights());
    for (SharedData.GoldenCase g : SharedData.golden(SharedData.fixture(fixture)).cases()) {
      int n = g.inputIds().length;
      if (n > 64) {
        continue; // the reference is slow; the shorter cases cover it
      }
      double[][] lp = reference.logSoftmax(g.inputIds(), CpuScoringEngine.range(0, n), causal(n));
      for (int i = 0; i + 1 < n; i++) {
        assertEquals(
            g.logProbs()[i], lp[i][g.inputIds()[i + 1]], 1e-4, fixture + " token " + (i + 1));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void batchedScoringEqualsOneByOne(String fixture) {
    LoadedModel model = load(fixture);
    Random random = new Random(7);
    List<int[]> sequences = new ArrayList<>();
    for (int n : new int[] {1, 2, 37, 5, 130, 64, 3}) {
      sequences.add(randomTokens(random, n, model.config().vocabSize()));
    }
    try (ScoringEngine engine =
        ScoringEngines.open(
            model.weights(),
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(2))) {
      List<TokenLogProbs> batched = engine.score(sequences);
      for (int s = 0; s < sequences.size(); s++) {
        TokenLogProbs alone = engine.score(List.of(sequences.get(s))).get(0);
        assertArrayEquals(
            alone.logProbs(), batched.get(s).logProbs(), (float) EXACT, "sequence " + s);
        assertArrayEquals(alone.argmax(), batched.get(s).argmax(), "sequence " + s);
      }
      List<float[]> embeddings = engine.embed(sequences);
      for (int s = 0; s < sequences.size(); s++) {
        assertArrayEquals(
            engine.embed(List.of(sequences.get(s))).get(0), embeddings.get(s), (float) EXACT);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void embeddingIsMeanOfFinalHiddenStates(String fixture) {
    LoadedModel model = load(fixture);
    int[] tokens = randomTokens(new Random(3), 20, model.config().vocabSize());
    double[][] hidden =
        new ReferenceForward(model.weights())
            .finalHidden(tokens, CpuScoringEngine.range(0, 20), causal(20));
    try (ScoringEngine engine =
        ScoringEngines.open(
            model.weights(),
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(2))) {
      float[] embedding = engine.embed(List.of(tokens)).get(0);
      assertEquals(model.config().hiddenSize(), embedding.length);
      for (int j = 0; j < embedding.length; j++) {
        double mean = 0;
        for (double[] row : hidden) {
          mean += row[j] / hidden.length;
        }
        assertEquals(mean, embedding[j], 1e-4, "dimension " + j);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void appendingInPiecesEqualsOneFullPass(String fixture) {
    LoadedModel model = load(fixture);
    int[] tokens = randomTokens(new Random(11), 90, model.config().vocabSize());
    try (ScoringEngine engine =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(2));
        ScoringSession session = engine.newSession()) {
      float[] full = engine.score(List.of(tokens)).get(0).logProbs();
      List<Float> incremental = new ArrayList<>();
      int at = 0;
      for (int piece : new int[] {1, 1, 7, 20, 61}) {
        for (float lp : session.append(Arrays.copyOfRange(tokens, at, at + piece))) {
          incremental.add(lp);
        }
        at += piece;
      }
      assertEquals(90, session.length());
      assertArrayEquals(tokens, session.tokens());
      assertTrue(
          Float.isNaN(incremental.get(0)), "the first token of an empty session has no prediction");
      for (int i = 1; i < 90; i++) {
        assertEquals(full[i - 1], incremental.get(i), EXACT, "token " + i);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void removingATailSpanEqualsAFullPassOfWhatRemains(String fixture) {
    LoadedModel model = load(fixture);
    Random random = new Random(5);
    int[] prefix = randomTokens(random, 40, model.config().vocabSize());
    int[] next = randomTokens(random, 15, model.config().vocabSize());
    try (ScoringEngine engine =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(2));
        ScoringSession session = engine.newSession()) {
      session.append(prefix);
      session.removeSpan(25, 40);
      float[] appended = session.append(next);
      int[] rest = concat(Arrays.copyOf(prefix, 25), next);
      float[] full = engine.score(List.of(rest)).get(0).logProbs();
      for (int j = 0; j < next.length; j++) {
        assertEquals(full[25 + j - 1], appended[j], EXACT, "appended token " + j);
      }
    }
  }

  /**
   * After removing a middle span the kept later entries still carry what they attended to when they
   * were computed, and new tokens take position ids from the shortened cache: the session equals
   * the reference pass over all tokens with those position ids and a mask that hides the removed
   * span from the new tokens only, and differs from a plain pass over the kept tokens.
   */
  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void removingAMiddleSpanKeepsCachedEntriesAsComputed(String fixture) {
    LoadedModel model = load(fixture);
    Random random = new Random(9);
    int n = 30;
    int from = 8;
    int to = 18;
    int[] first = randomTokens(random, n, model.config().vocabSize());
    int[] next = randomTokens(random, 10, model.config().vocabSize());
    try (ScoringEngine engine =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(2));
        CpuScoringSession session = (CpuScoringSession) engine.newSession()) {
      session.append(first);
      session.removeSpan(from, to);
      assertEquals(n - (to - from), session.length());
      float[] appended = session.append(next);

      int total = n + next.length;
      int[] all = concat(first, next);
      int[] positions = new int[total];
      boolean[][] visible = causal(total);
      for (int i = 0; i < total; i++) {
        positions[i] = i < n ? i : n - (to - from) + (i - n);
        for (int j = from; i >= n && j < to; j++) {
          visible[i][j] = false;
        }
      }
      assertArrayEquals(
          concat(
              concat(CpuScoringEngine.range(0, from), CpuScoringEngine.range(to, n)),
              Arrays.copyOfRange(positions, n, total)),
          session.positions());
      double[][] reference =
          new ReferenceForward(model.weights()).logSoftmax(all, positions, visible);
      for (int j = 0; j < next.length; j++) {
        assertEquals(reference[n + j - 1][next[j]], appended[j], 1e-4, "appended token " + j);
      }
      // not the forward pass of the kept tokens: entries after the span saw the removed tokens
      int[] kept =
          concat(concat(Arrays.copyOf(first, from), Arrays.copyOfRange(first, to, n)), next);
      float[] plain = engine.score(List.of(kept)).get(0).logProbs();
      double maxDiff = 0;
      for (int j = 1; j < next.length; j++) {
        maxDiff =
            Math.max(maxDiff, Math.abs(plain[kept.length - next.length + j - 1] - appended[j]));
      }
      assertTrue(
          maxDiff > 1e-3, "expected the cached context to matter, max difference " + maxDiff);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2"})
  void sessionsRejectBadSpansAndOverflow(String fixture) {
    LoadedModel model = load(fixture);
    try (ScoringEngine engine =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(1));
        ScoringSession session = engine.newSession()) {
      session.append(new int[] {1, 2, 3});
      assertThrows(IndexOutOfBoundsException.class, () -> session.removeSpan(2, 4));
      assertThrows(IndexOutOfBoundsException.class, () -> session.removeSpan(2, 1));
      session.removeSpan(0, 3);
      assertEquals(0, session.length());
      assertTrue(Float.isNaN(session.append(new int[] {5})[0]));
      int context = engine.contextLength();
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> session.append(new int[context]));
      assertTrue(e.getMessage().contains("context length"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class,
          () -> engine.score(List.of(new int[] {model.config().vocabSize()})));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2", "tiny-llama", "tiny-qwen2"})
  void appendAllEqualsEachAppendAloneBitForBit(String fixture) {
    LoadedModel model = load(fixture);
    int vocab = model.config().vocabSize();
    Random random = new Random(5);
    try (ScoringEngine engine =
        ScoringEngines.open(
            model.weights(),
            EngineOptions.defaults().withPrecision(EngineOptions.Precision.FP32).withThreads(2))) {
      // four sessions in different states: empty, short, long, and after a middle-span removal
      int[][] history = {
        new int[0],
        randomTokens(random, 3, vocab),
        randomTokens(random, 40, vocab),
        randomTokens(random, 25, vocab)
      };
      int[][] next = {
        randomTokens(random, 9, vocab),
        randomTokens(random, 1, vocab),
        randomTokens(random, 17, vocab),
        randomTokens(random, 6, vocab)
      };
      List<ScoringSession> alone = new ArrayList<>();
      List<ScoringSession> batched = new ArrayList<>();
      for (int s = 0; s < history.length; s++) {
        for (List<ScoringSession> group : List.of(alone, batched)) {
          ScoringSession session = engine.newSession();
          session.append(history[s]);
          if (s == 3) {
            session.removeSpan(5, 12);
          }
          group.add(session);
        }
      }
      List<SessionAppend> appends = new ArrayList<>();
      for (int s = 0; s < history.length; s++) {
        appends.add(new SessionAppend(batched.get(s), next[s]));
      }
      appends.add(new SessionAppend(engine.newSession(), new int[0]));
      List<float[]> together = engine.appendAll(appends);
      assertEquals(5, together.size());
      assertEquals(0, together.get(4).length, "an empty append gives nothing");
      for (int s = 0; s < history.length; s++) {
        float[] one = alone.get(s).append(next[s]);
        assertArrayEquals(
            one, together.get(s), "session " + s + ": the batched append equals the single one");
        assertArrayEquals(alone.get(s).tokens(), batched.get(s).tokens());
        // and the caches went on identically: the next append agrees too
        int[] more = randomTokens(random, 4, vocab);
        assertArrayEquals(
            alone.get(s).append(more), batched.get(s).append(more), "session " + s + " after");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"tiny-gpt2"})
  void anInvalidAppendInABatchChangesNoSession(String fixture) {
    LoadedModel model = load(fixture);
    try (ScoringEngine engine =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(1));
        ScoringEngine other =
            ScoringEngines.open(
                model.weights(),
                EngineOptions.defaults()
                    .withPrecision(EngineOptions.Precision.FP32)
                    .withThreads(1))) {
      ScoringSession a = engine.newSession();
      ScoringSession b = engine.newSession();
      a.append(new int[] {1, 2, 3});
      int context = engine.contextLength();
      IllegalArgumentException overflow =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  engine.appendAll(
                      List.of(
                          new SessionAppend(a, new int[] {4, 5}),
                          new SessionAppend(b, new int[context + 1]))));
      assertTrue(overflow.getMessage().contains("context length"), overflow.getMessage());
      assertEquals(3, a.length(), "the valid append in the failed batch did not happen");
      assertEquals(0, b.length());
      IllegalArgumentException twice =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  engine.appendAll(
                      List.of(
                          new SessionAppend(a, new int[] {4}),
                          new SessionAppend(a, new int[] {5}))));
      assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
      IllegalArgumentException foreign =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  engine.appendAll(List.of(new SessionAppend(other.newSession(), new int[] {4}))));
      assertTrue(
          foreign.getMessage().contains("not a session of this engine"), foreign.getMessage());
      assertEquals(3, a.length());
    }
  }

  static boolean[][] causal(int n) {
    boolean[][] v = new boolean[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        v[i][j] = true;
      }
    }
    return v;
  }

  static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
