package dev.winnow.kernels.cpu;

import dev.winnow.kernels.model.Architecture;
import dev.winnow.kernels.model.LayerWeights;
import dev.winnow.kernels.model.ModelConfig;
import dev.winnow.kernels.model.ModelWeights;

/**
 * The transformer forward pass in float32 on the CPU, for new tokens of several sequences at once.
 * Weight products go through {@link MatrixProducts}; norms, attention and activations run on the
 * engine's {@link WorkerPool}.
 *
 * <p>The new tokens of all sequences are concatenated into one {@code [N, d]} activation matrix, so
 * every projection and MLP is a single matrix product over {@code N} rows with no padding; only
 * attention is per sequence (and per head), against that sequence's {@link KvCache}.
 *
 * <p>Per block, pre-norm: {@code x += Attn(Norm₁(x)); x += MLP(Norm₂(x))}, then a final norm.
 *
 * <ul>
 *   <li>LayerNorm (GPT-2): {@code (x − μ) / √(σ² + ε) · γ + β}; RMSNorm (Llama, Qwen2): {@code x /
 *       √(mean(x²) + ε) · γ}.
 *   <li>Attention: {@code softmax(q·kᵀ / √d_h) · v} over the cached positions up to and including
 *       the token itself; with grouped-query attention query head {@code h} reads key/value head
 *       {@code h / (heads / kvHeads)}.
 *   <li>RoPE (rotate-half form): for {@code i < d_h/2}, angle {@code θ = pos · inv_freq[i]}, {@code
 *       x'[i] = x[i]·cos θ − x[i + d_h/2]·sin θ}, {@code x'[i + d_h/2] = x[i + d_h/2]·cos θ +
 *       x[i]·sin θ}, applied to queries and keys before the keys are cached.
 *   <li>MLP: GPT-2 {@code gelu_tanh(x·W_fc + b)·W_proj + b}, with {@code gelu_tanh(x) = ½x(1 +
 *       tanh(√(2/π)(x + 0.044715x³)))}; SwiGLU {@code (silu(x·W_gate) ⊙ x·W_up)·W_down}, {@code
 *       silu(x) = x / (1 + e^{−x})}.
 * </ul>
 *
 * Buffers are allocated once per call for all {@code N} rows and reused across layers; no
 * allocation happens per token.
 */
final class CpuForwardPass {
  private static final int NORM_ROWS_PER_TASK = 64;

  /**
   * Embeddings, norms and biases; the matrices live only in {@link #packed}, so the engine does not
   * keep the loader's in × out copies alive.
   */
  private final ModelWeights weights;

  private final ModelConfig config;
  private final WorkerPool pool;
  private final MatrixProducts products;
  private final float[] inverseFrequencies;

  /** Per layer: qkv, out, up, down, packed for {@link #products}. */
  private final MatrixProducts.Packed[][] packed;

  CpuForwardPass(ModelWeights weights, WorkerPool pool, MatrixProducts products) {
    this.config = weights.config();
    this.pool = pool;
    this.products = products;
    this.inverseFrequencies = weights.ropeInverseFrequencies();
    int d = config.hiddenSize();
    int qkvDim = config.queryDim() + 2 * config.kvDim();
    int inter = config.intermediateSize();
    int upCols = config.architecture() == Architecture.GPT2 ? inter : 2 * inter;
    packed = new MatrixProducts.Packed[config.layers()][];
    // a folded model's blocks may share one array (fold.json): packed once, used by each
    java.util.Map<float[], MatrixProducts.Packed> once = new java.util.IdentityHashMap<>();
    for (int l = 0; l < config.layers(); l++) {
      LayerWeights lw = weights.layers().get(l);
      packed[l] =
          new MatrixProducts.Packed[] {
            once.computeIfAbsent(lw.qkvWeight(), w -> products.pack(w, d, qkvDim)),
            once.computeIfAbsent(lw.outWeight(), w -> products.pack(w, config.queryDim(), d)),
            once.computeIfAbsent(lw.upWeight(), w -> products.pack(w, d, upCols)),
            once.computeIfAbsent(lw.downWeight(), w -> products.pack(w, inter, d)),
          };
    }
    java.util.List<LayerWeights> small = new java.util.ArrayList<>();
    for (LayerWeights lw : weights.layers()) {
      small.add(
          new LayerWeights(
              lw.norm1Weight(),
              lw.norm1Bias(),
              null,
              lw.qkvBias(),
              null,
              lw.outBias(),
              lw.norm2Weight(),
              lw.norm2Bias(),
              null,
              lw.upBias(),
              null,
              lw.downBias()));
    }
    this.weights =
        new ModelWeights(
            config,
            weights.tokenEmbedding(),
            weights.positionEmbedding(),
            small,
            weights.finalNormWeight(),
            weights.finalNormBias(),
            null,
            weights.storedAs());
  }

  ModelConfig config() {
    return config;
  }

  KvCache newCache(int capacity) {
    return new KvCache(
        config.layers(), config.kvHeads(), config.headDim(), config.hiddenSize(), capacity);
  }

  /**
   * Runs {@code tokens[i]} with position ids {@code positions[i]} after the contents of {@code
   * caches[i]}, appends their keys, values, ids, positions and final hidden states to {@code
   * caches[i]}, and returns the final hidden states of all new tokens, {@code [N, d]}, in order.
   */
  float[] forward(int[][] tokens, int[][] positions, KvCache[] caches) {
    int sequences = tokens.length;
    int[] offsets = new int[sequences + 1];
    int[] base = new int[sequences];
    for (int s = 0; s < sequences; s++) {
      validate(tokens[s], positions[s]);
      offsets[s + 1] = offsets[s] + tokens[s].length;
      base[s] = caches[s].length;
      caches[s].ensureCapacity(base[s] + tokens[s].length);
    }
    int n = offsets[sequences];
    int d = config.hiddenSize();
    int qDim = config.queryDim();
    int kvDim = config.kvDim();
    int qkvDim = qDim + 2 * kvDim;
    boolean gpt2 = config.architecture() == Architecture.GPT2;
    int inter = config.intermediateSize();

    float[] x = new float[n * d];
    float[] h = new float[n * d];
    float[] qkv = new float[n * qkvDim];
    float[] att = new float[n * qDim];
    float[] up = new float[n * (gpt2 ? inter : 2 * inter)];
    float[] act = gpt2 ? up : new float[n * inter];
    int[] rowPosition = new int[n];
    long clock = PassProfile.start();

    for (int s = 0; s < sequences; s++) {
      for (int t = 0; t < tokens[s].length; t++) {
        int row = offsets[s] + t;
        rowPosition[row] = positions[s][t];
        System.arraycopy(weights.tokenEmbedding(), tokens[s][t] * d, x, row * d, d);
        if (weights.positionEmbedding() != null) {
          int po = positions[s][t] * d;
          float[] wpe = weights.positionEmbedding();
          for (int j = 0; j < d; j++) {
            x[row * d + j] += wpe[po + j];
          }
        }
        caches[s].tokens[base[s] + t] = tokens[s][t];
        caches[s].positions[base[s] + t] = positions[s][t];
      }
    }
    float[] cos = null;
    float[] sin = null;
    if (inverseFrequencies != null) {
      int half = inverseFrequencies.length;
      cos = new float[n * half];
      sin = new float[n * half];
      for (int r = 0; r < n; r++) {
        for (int i = 0; i < half; i++) {
          float angle = rowPosition[r] * inverseFrequencies[i]; // float32 product, as transformers
          cos[r * half + i] = (float) Math.cos(angle);
          sin[r * half + i] = (float) Math.sin(angle);
        }
      }
    }

    clock = PassProfile.lap(PassProfile.Part.EMBED, clock);
    for (int l = 0; l < config.layers(); l++) {
      LayerWeights lw = weights.layers().get(l);
      norm(x, h, n, lw.norm1Weight(), lw.norm1Bias());
      clock = PassProfile.lap(PassProfile.Part.NORM, clock);
      products.multiply(h, n, packed[l][0], lw.qkvBias(), qkv, false);
      clock = PassProfile.lap(PassProfile.Part.QKV, clock);
      if (cos != null) {
        applyRope(qkv, n, qkvDim, cos, sin);
        clock = PassProfile.lap(PassProfile.Part.ROPE, clock);
      }
      for (int s = 0; s < sequences; s++) {
        KvCache cache = caches[s];
        for (int t = 0; t < tokens[s].length; t++) {
          int row = offsets[s] + t;
          cache.put(l, base[s] + t, qkv, row * qkvDim + qDim, row * qkvDim + qDim + kvDim);
        }
      }
      clock = PassProfile.lap(PassProfile.Part.KV_PUT, clock);
      attention(l, qkv, qkvDim, att, offsets, base, caches);
      clock = PassProfile.lap(PassProfile.Part.ATTENTION, clock);
      products.multiply(att, n, packed[l][1], lw.outBias(), x, true);
      clock = PassProfile.lap(PassProfile.Part.OUT_PROJ, clock);
      norm(x, h, n, lw.norm2Weight(), lw.norm2Bias());
      clock = PassProfile.lap(PassProfile.Part.NORM, clock);
      products.multiply(h, n, packed[l][2], lw.upBias(), up, false);
      clock = PassProfile.lap(PassProfile.Part.UP, clock);
      if (gpt2) {
        gelu(up, n * inter);
      } else {
        swiglu(up, act, n, inter);
      }
      clock = PassProfile.lap(PassProfile.Part.ACTIVATION, clock);
      products.multiply(act, n, packed[l][3], lw.downBias(), x, true);
      clock = PassProfile.lap(PassProfile.Part.DOWN, clock);
    }
    norm(x, h, n, weights.finalNormWeight(), weights.finalNormBias());
    PassProfile.lap(PassProfile.Part.NORM, clock);
    for (int s = 0; s < sequences; s++) {
      System.arraycopy(h, offsets[s] * d, caches[s].hidden, base[s] * d, tokens[s].length * d);
      caches[s].length = base[s] + tokens[s].length;
    }
    return h;
  }

  private void validate(int[] tokens, int[] positions) {
    if (tokens.length != positions.length) {
      throw new IllegalArgumentException(
          tokens.length + " tokens but " + positions.length + " position ids");
    }
    for (int t = 0; t < tokens.length; t++) {
      if (tokens[t] < 0 || tokens[t] >= config.vocabSize()) {
        throw new IllegalArgumentException(
            "illegal token id "
                + tokens[t]
                + " at index "
                + t
                + ": must be in [0, "
                + config.vocabSize()
                + ") (the model's vocab_size)");
      }
      if (positions[t] < 0
          || (weights.positionEmbedding() != null && positions[t] >= config.contextLength())) {
        throw new IllegalArgumentException(
            "illegal position id "
                + positions[t]
                + " at index "
                + t
                + ": must be in [0, "
                + config.contextLength()
                + ") (the model's context length)");
      }
    }
  }

  /** LayerNorm when {@code bias != null}, else RMSNorm; row by row, sums in double. */
  private void norm(float[] in, float[] out, int n, float[] gamma, float[] beta) {
    int d = config.hiddenSize();
    float eps = (float) config.normEps();
    int tasks = (n + NORM_ROWS_PER_TASK - 1) / NORM_ROWS_PER_TASK;
    pool.forEach(
        tasks,
        task -> {
          int end = Math.min(n, (task + 1) * NORM_ROWS_PER_TASK);
          for (int r = task * NORM_ROWS_PER_TASK; r < end; r++) {
            int o = r * d;
            if (beta != null) {
              double sum = 0;
              for (int j = 0; j < d; j++) {
                sum += in[o + j];
              }
              float mean = (float) (sum / d);
              double var = 0;
              for (int j = 0; j < d; j++) {
                double c = in[o + j] - mean;
                var += c * c;
              }
              float inv = (float) (1.0 / Math.sqrt(var / d + eps));
              for (int j = 0; j < d; j++) {
                out[o + j] = (in[o + j] - mean) * inv * gamma[j] + beta[j];
              }
            } else {
              double sq = 0;
              for (int j = 0; j < d; j++) {
                sq += (double) in[o + j] * in[o + j];
              }
              float inv = (float) (1.0 / Math.sqrt(sq / d + eps));
              for (int j = 0; j < d; j++) {
                out[o + j] = gamma[j] * (in[o + j] * inv);
              }
            }
          }
        });
  }

  private void applyRope(float[] qkv, int n, int qkvDim, float[] cos, float[] sin) {
    int hd = config.headDim();
    int half = hd / 2;
    int headsToRotate = config.heads() + config.kvHeads(); // q heads then k heads are contiguous
    for (int r = 0; r < n; r++) {
      int co = r * half;
      for (int hIdx = 0; hIdx < headsToRotate; hIdx++) {
        int o = r * qkvDim + hIdx * hd;
        for (int i = 0; i < half; i++) {
          float x1 = qkv[o + i];
          float x2 = qkv[o + i + half];
          float c = cos[co + i];
          float s = sin[co + i];
          qkv[o + i] = x1 * c - x2 * s;
          qkv[o + i + half] = x2 * c + x1 * s;
        }
      }
    }
  }

  /**
   * Attention of all new rows: one task per (sequence, key/value head, tile of {@link
   * AttentionTiles#queryTokens} new tokens), each a few fixed-shape products ({@link
   * AttentionTiles}).
   */
  private void attention(
      int layer,
      float[] qkv,
      int qkvDim,
      float[] att,
      int[] offsets,
      int[] base,
      KvCache[] caches) {
    int kvHeads = config.kvHeads();
    int hd = config.headDim();
    int group = config.heads() / kvHeads;
    int qDim = config.queryDim();
    int tileTokens = AttentionTiles.queryTokens(group);
    float scale = (float) (1.0 / Math.sqrt(hd));
    if (config.scaleAttnByInverseLayerIdx()) {
      scale /= (layer + 1);
    }
    final float sc = scale;
    int sequences = caches.length;
    int[] tileStart = new int[sequences + 1];
    for (int s = 0; s < sequences; s++) {
      int len = offsets[s + 1] - offsets[s];
      tileStart[s + 1] = tileStart[s] + (len + tileTokens - 1) / tileTokens;
    }
    int tiles = tileStart[sequences];
    pool.forEach(
        tiles * kvHeads,
        task -> {
          int tile = task / kvHeads;
          int kvHead = task % kvHeads;
          int s = 0;
          while (tileStart[s + 1] <= tile) {
            s++;
          }
          int t0 = (tile - tileStart[s]) * tileTokens;
          int t1 = Math.min(offsets[s + 1] - offsets[s], t0 + tileTokens);
          int row0 = offsets[s] + t0;
          int head0 = kvHead * group;
          AttentionTiles.scratch()
              .run(
                  products,
                  qkv,
                  row0 * qkvDim + head0 * hd,
                  qkvDim,
                  t1 - t0,
                  group,
                  hd,
                  base[s] + t0 + 1,
                  caches[s].keys[layer][kvHead],
                  caches[s].values[layer][kvHead],
                  sc,
                  att,
                  row0 * qDim + head0 * hd,
                  qDim);
        });
  }

  private void gelu(float[] v, int count) {
    final int chunk = 16384;
    pool.forEach(
        (count + chunk - 1) / chunk,
        task -> {
          int end = Math.min(count, (task + 1) * chunk);
          Activations.gelu(v, task * chunk, end);
        });
  }

  private void swiglu(float[] gateUp, float[] out, int n, int inter) {
    pool.forEach(
        (n + NORM_ROWS_PER_TASK - 1) / NORM_ROWS_PER_TASK,
        task -> {
          int end = Math.min(n, (task + 1) * NORM_ROWS_PER_TASK);
          for (int r = task * NORM_ROWS_PER_TASK; r < end; r++) {
            int g = r * 2 * inter;
            Activations.swiglu(gateUp, g, g + inter, out, r * inter, inter);
          }
        });
  }
}
