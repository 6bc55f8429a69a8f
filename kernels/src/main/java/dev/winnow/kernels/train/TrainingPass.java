package dev.winnow.kernels.train;

import dev.winnow.kernels.cpu.MatrixProducts;
import dev.winnow.kernels.cpu.WorkerPool;
import dev.winnow.kernels.model.Architecture;
import dev.winnow.kernels.model.ModelConfig;
import java.util.List;

/**
 * The forward and backward pass of a {@link TrainableModel} over one batch shape {@code [B, T]},
 * with the buffers it needs.
 *
 * <p>Activations are <b>kept per layer</b>, not recomputed: per block the input and mid residual
 * streams, the norm statistics, q|k|v after RoPE, the attention output, both residual contributions
 * before gate and scale, the MLP pre-activation and activation, and each LoRA adapter's {@code
 * scaling·x·Aᵀ}. That is {@code L · N · (4d + qkvDim + qDim + upCols + I + Σ r)} floats for {@code
 * N = B·T} rows (norm outputs are recomputed from the kept inputs and statistics, O(N·d)), plus the
 * logits {@code N · vocab} and a few {@code N}-row scratch buffers; attention probabilities are
 * recomputed in the backward pass from q and k (one {@code T × T} buffer per task), so nothing is
 * quadratic in T per layer. All products run as one product over all {@code N} rows ({@link
 * MatrixProducts#parallelGemm}); attention is one task per (sequence, KV head) with {@link
 * MatrixProducts#gemm} on the calling worker.
 *
 * <p>Deterministic: each output element and each reduction (bias, norm and scale gradients) is
 * computed by a fixed partition summed in a fixed order, whatever the thread count.
 */
final class TrainingPass {
  private static final int ROWS_PER_TASK = 64;

  final int batch;
  final int length;
  private final TrainableModel model;
  private final ModelConfig c;
  private final MatrixProducts mp;
  private final WorkerPool pool;
  private final int n;
  private final int d;
  private final int qDim;
  private final int kvDim;
  private final int qkvDim;
  private final int inter;
  private final int upCols;
  private final boolean gpt2;
  private final float[] cos;
  private final float[] sin;

  // kept per layer
  private final float[][] xin;
  private final float[][] xmid;
  private final float[][] stat1;
  private final float[][] stat2;
  private final float[][] qkv;
  private final float[][] att;
  private final float[][] attnOut;
  private final float[][] upPre;
  private final float[][] act;
  private final float[][] mlpOut;
  private final float[][][] loraU;

  private final float[] x;
  private final float[] h;
  private final float[] finalStat;
  private final float[] hidden;
  private final float[] logits;

  TrainingPass(TrainableModel model, int batch, int length) {
    this.model = model;
    this.batch = batch;
    this.length = length;
    this.c = model.config;
    this.mp = model.products;
    this.pool = model.pool;
    this.n = batch * length;
    this.d = c.hiddenSize();
    this.qDim = c.queryDim();
    this.kvDim = c.kvDim();
    this.qkvDim = qDim + 2 * kvDim;
    this.inter = c.intermediateSize();
    this.gpt2 = c.architecture() == Architecture.GPT2;
    this.upCols = gpt2 ? inter : 2 * inter;
    int layers = c.layers();
    xin = new float[layers][n * d];
    xmid = new float[layers][n * d];
    stat1 = new float[layers][2 * n];
    stat2 = new float[layers][2 * n];
    qkv = new float[layers][n * qkvDim];
    att = new float[layers][n * qDim];
    attnOut = new float[layers][n * d];
    upPre = new float[layers][n * upCols];
    act = gpt2 ? null : new float[layers][n * inter];
    mlpOut = new float[layers][n * d];
    loraU = new float[layers][][];
    for (int l = 0; l < layers; l++) {
      List<LoraAdapter> all = model.blocks.get(l).allLora();
      loraU[l] = new float[all.size()][];
      for (int i = 0; i < all.size(); i++) {
        loraU[l][i] = new float[n * all.get(i).rank];
      }
    }
    x = new float[n * d];
    h = new float[n * d];
    finalStat = new float[2 * n];
    hidden = new float[n * d];
    logits = new float[n * c.vocabSize()];
    float[] inv = model.inverseFrequencies;
    if (inv != null) {
      int half = inv.length;
      cos = new float[length * half];
      sin = new float[length * half];
      for (int t = 0; t < length; t++) {
        for (int i = 0; i < half; i++) {
          float angle = t * inv[i]; // float32 product, as transformers and the inference engine
          cos[t * half + i] = (float) Math.cos(angle);
          sin[t * half + i] = (float) Math.sin(angle);
        }
      }
    } else {
      cos = null;
      sin = null;
    }
  }

  /** Runs the model; returns the logits buffer {@code [N, vocab]} (owned by this pass). */
  float[] forward(int[][] ids) {
    float[] emb = model.tokenEmbedding.value();
    float[] pos = model.positionEmbedding == null ? null : model.positionEmbedding.value();
    for (int r = 0; r < n; r++) {
      int t = r % length;
      System.arraycopy(emb, ids[r / length][t] * d, x, r * d, d);
      if (pos != null) {
        for (int j = 0; j < d; j++) {
          x[r * d + j] += pos[t * d + j];
        }
      }
    }
    for (int l = 0; l < c.layers(); l++) {
      Block b = model.blocks.get(l);
      System.arraycopy(x, 0, xin[l], 0, n * d);
      norm(x, h, stat1[l], b.norm1Weight, b.norm1Bias);
      linear(h, d, qkvDim, b.qkvWeight, b.qkvBias, b.qkvLora, loraU[l], 0, qkv[l]);
      if (cos != null) {
        rope(qkv[l], false);
      }
      attention(l, qkv[l], att[l]);
      linear(
          att[l],
          qDim,
          d,
          b.outWeight,
          b.outBias,
          b.outLora,
          loraU[l],
          b.qkvLora.size(),
          attnOut[l]);
      addContribution(x, attnOut[l], b.gate.value()[0], b.attnScale.value());
      System.arraycopy(x, 0, xmid[l], 0, n * d);
      norm(x, h, stat2[l], b.norm2Weight, b.norm2Bias);
      int upLora = b.qkvLora.size() + b.outLora.size();
      linear(h, d, upCols, b.upWeight, b.upBias, b.upLora, loraU[l], upLora, upPre[l]);
      float[] a = activate(l);
      linear(
          a,
          inter,
          d,
          b.downWeight,
          b.downBias,
          b.downLora,
          loraU[l],
          upLora + b.upLora.size(),
          mlpOut[l]);
      addContribution(x, mlpOut[l], b.gate.value()[0], b.mlpScale.value());
    }
    norm(x, hidden, finalStat, model.finalNormWeight, model.finalNormBias);
    int v = c.vocabSize();
    mp.parallelGemm(
        pool, false, true, n, v, d, hidden, 0, d, model.head.value(), 0, d, 0f, logits, 0, v);
    return logits;
  }

  /** Copies of every block's input and of the last block's output, after {@link #forward}. */
  float[][] residualStreams() {
    int layers = c.layers();
    float[][] out = new float[layers + 1][];
    for (int l = 0; l < layers; l++) {
      out[l] = xin[l].clone();
    }
    out[layers] = x.clone();
    return out;
  }

  /** Back-propagates {@code dLogits [N, vocab]} into every trainable parameter's gradient. */
  void backward(int[][] ids, float[] dLogits) {
    int v = c.vocabSize();
    Parameter head = model.head;
    if (head.trainable()) {
      mp.parallelGemm(
          pool, true, false, v, d, n, dLogits, 0, v, hidden, 0, d, 1f, head.grad(), 0, d);
    }
    float[] dh = new float[n * d];
    mp.parallelGemm(pool, false, false, n, d, v, dLogits, 0, v, head.value(), 0, d, 0f, dh, 0, d);
    float[] dx = x; // the residual gradient reuses the forward's stream buffer
    java.util.Arrays.fill(dx, 0f);
    normBackward(xmidOrFinal(), finalStat, dh, dx, model.finalNormWeight, model.finalNormBias);
    float[] dContribution = new float[n * d];
    float[] dAct = new float[n * inter];
    float[] dUp = new float[n * upCols];
    float[] dAtt = new float[n * qDim];
    float[] dQkv = new float[n * qkvDim];
    for (int l = c.layers() - 1; l >= 0; l--) {
      Block b = model.blocks.get(l);
      int upLora = b.qkvLora.size() + b.outLora.size();
      // MLP half
      contributionBackward(dx, mlpOut[l], b.gate, b.mlpScale, dContribution);
      float[] a = gpt2 ? act(l) : act[l];
      linearBackward(
          dContribution,
          a,
          inter,
          d,
          b.downWeight,
          b.downBias,
          b.downLora,
          loraU[l],
          upLora + b.upLora.size(),
          dAct);
      activationBackward(l, dAct, dUp);
      norm(xmid[l], h, null, b.norm2Weight, b.norm2Bias, stat2[l]);
      linearBackward(dUp, h, d, upCols, b.upWeight, b.upBias, b.upLora, loraU[l], upLora, dh);
      normBackward(xmid[l], stat2[l], dh, dx, b.norm2Weight, b.norm2Bias);
      // attention half
      contributionBackward(dx, attnOut[l], b.gate, b.attnScale, dContribution);
      linearBackward(
          dContribution,
          att[l],
          qDim,
          d,
          b.outWeight,
          b.outBias,
          b.outLora,
          loraU[l],
          b.qkvLora.size(),
          dAtt);
      attentionBackward(l, qkv[l], dAtt, dQkv);
      if (cos != null) {
        rope(dQkv, true);
      }
      norm(xin[l], h, null, b.norm1Weight, b.norm1Bias, stat1[l]);
      linearBackward(dQkv, h, d, qkvDim, b.qkvWeight, b.qkvBias, b.qkvLora, loraU[l], 0, dh);
      normBackward(xin[l], stat1[l], dh, dx, b.norm1Weight, b.norm1Bias);
    }
    if (model.tokenEmbedding.trainable()) {
      float[] g = model.tokenEmbedding.grad();
      for (int r = 0; r < n; r++) {
        int o = ids[r / length][r % length] * d;
        for (int j = 0; j < d; j++) {
          g[o + j] += dx[r * d + j];
        }
      }
    }
    if (model.positionEmbedding != null && model.positionEmbedding.trainable()) {
      float[] g = model.positionEmbedding.grad();
      for (int r = 0; r < n; r++) {
        int o = (r % length) * d;
        for (int j = 0; j < d; j++) {
          g[o + j] += dx[r * d + j];
        }
      }
    }
  }

  /**
   * The final residual stream (input of the final norm), rebuilt from the last layer's kept state.
   */
  private float[] xmidOrFinal() {
    int l = c.layers() - 1;
    Block b = model.blocks.get(l);
    float[] out = new float[n * d];
    System.arraycopy(xmid[l], 0, out, 0, n * d);
    addContribution(out, mlpOut[l], b.gate.value()[0], b.mlpScale.value());
    return out;
  }

  // ---- linear layers ----

  /** {@code y = x·W + bias + Σ LoRA}, {@code x [N, in]}, {@code y [N, out]}. */
  private void linear(
      float[] in,
      int k,
      int out,
      Parameter w,
      Parameter bias,
      List<LoraAdapter> adapters,
      float[][] us,
      int firstU,
      float[] y) {
    mp.parallelGemm(pool, false, false, n, out, k, in, 0, k, w.value(), 0, out, 0f, y, 0, out);
    if (bias != null) {
      float[] bv = bias.value();
      rows(
          r -> {
            int o = r * out;
            for (int j = 0; j < out; j++) {
              y[o + j] += bv[j];
            }
          });
    }
    for (int i = 0; i < adapters.size(); i++) {
      LoraAdapter a = adapters.get(i);
      float[] u = us[firstU + i];
      int rank = a.rank;
      mp.parallelGemm(pool, false, true, n, rank, k, in, 0, k, a.a.value(), 0, k, 0f, u, 0, rank);
      float s = a.scaling;
      for (int j = 0; j < u.length; j++) {
        u[j] *= s;
      }
      mp.parallelGemm(
          pool, false, true, n, a.out, rank, u, 0, rank, a.b.value(), 0, rank, 1f, y, a.col0, out);
    }
  }

  /** Gradients of {@link #linear}; writes {@code dIn = dy · Wᵀ (+ LoRA)}. */
  private void linearBackward(
      float[] dy,
      float[] in,
      int k,
      int out,
      Parameter w,
      Parameter bias,
      List<LoraAdapter> adapters,
      float[][] us,
      int firstU,
      float[] dIn) {
    mp.parallelGemm(pool, false, true, n, k, out, dy, 0, out, w.value(), 0, out, 0f, dIn, 0, k);
    if (w.trainable()) {
      mp.parallelGemm(pool, true, false, k, out, n, in, 0, k, dy, 0, out, 1f, w.grad(), 0, out);
    }
    if (bias != null && bias.trainable()) {
      columnSums(dy, out, bias.grad());
    }
    for (int i = 0; i < adapters.size(); i++) {
      LoraAdapter a = adapters.get(i);
      float[] u = us[firstU + i];
      int rank = a.rank;
      if (a.b.trainable()) {
        mp.parallelGemm(
            pool,
            true,
            false,
            a.out,
            rank,
            n,
            dy,
            a.col0,
            out,
            u,
            0,
            rank,
            1f,
            a.b.grad(),
            0,
            rank);
      }
      float[] du = new float[n * rank];
      mp.parallelGemm(
          pool,
          false,
          false,
          n,
          rank,
          a.out,
          dy,
          a.col0,
          out,
          a.b.value(),
          0,
          rank,
          0f,
          du,
          0,
          rank);
      float s = a.scaling;
      for (int j = 0; j < du.length; j++) {
        du[j] *= s;
      }
      if (a.a.trainable()) {
        mp.parallelGemm(pool, true, false, rank, k, n, du, 0, rank, in, 0, k, 1f, a.a.grad(), 0, k);
      }
      mp.parallelGemm(
          pool, false, false, n, k, rank, du, 0, rank, a.a.value(), 0, k, 1f, dIn, 0, k);
    }
  }

  /** {@code g[j] += Σ_r m[r, j]}, columns split over the workers, rows summed in order. */
  private void columnSums(float[] m, int cols, float[] g) {
    int chunk = 64;
    pool.forEach(
        (cols + chunk - 1) / chunk,
        task -> {
          int j1 = Math.min(cols, (task + 1) * chunk);
          for (int j = task * chunk; j < j1; j++) {
            double s = 0;
            for (int r = 0; r < n; r++) {
              s += m[r * cols + j];
            }
            g[j] += (float) s;
          }
        });
  }

  // ---- gate and scale ----

  private void addContribution(float[] stream, float[] o, float gate, float[] scale) {
    rows(
        r -> {
          int base = r * d;
          for (int j = 0; j < d; j++) {
            stream[base + j] += gate * (scale[j] * o[base + j]);
          }
        });
  }

  /**
   * From {@code dx} (the residual gradient) to the contribution's gradient; gate and scale grads.
   */
  private void contributionBackward(
      float[] dx, float[] o, Parameter gate, Parameter scale, float[] dO) {
    float g = gate.value()[0];
    float[] s = scale.value();
    rows(
        r -> {
          int base = r * d;
          for (int j = 0; j < d; j++) {
            dO[base + j] = g * s[j] * dx[base + j];
          }
        });
    if (gate.trainable()) {
      double sum = 0;
      for (int r = 0; r < n; r++) {
        for (int j = 0; j < d; j++) {
          sum += (double) dx[r * d + j] * s[j] * o[r * d + j];
        }
      }
      gate.grad()[0] += (float) sum;
    }
    if (scale.trainable()) {
      float[] sg = scale.grad();
      for (int j = 0; j < d; j++) {
        double sum = 0;
        for (int r = 0; r < n; r++) {
          sum += (double) dx[r * d + j] * o[r * d + j];
        }
        sg[j] += (float) (g * sum);
      }
    }
  }

  // ---- norms ----

  private void norm(float[] in, float[] out, float[] stat, Parameter gamma, Parameter beta) {
    norm(in, out, stat, gamma, beta, null);
  }

  /**
   * LayerNorm ({@code beta != null}) or RMSNorm, as {@code CpuForwardPass}: sums in double. Keeps
   * {@code stat[r] = 1/σ} and {@code stat[n + r] = μ}; with {@code given} statistics it only
   * recomputes the output from them.
   */
  private void norm(
      float[] in, float[] out, float[] stat, Parameter gammaP, Parameter betaP, float[] given) {
    float eps = (float) c.normEps();
    float[] gamma = gammaP.value();
    float[] beta = betaP == null ? null : betaP.value();
    rows(
        r -> {
          int o = r * d;
          float inv;
          float mean = 0;
          if (given != null) {
            inv = given[r];
            mean = given[n + r];
          } else if (beta != null) {
            double sum = 0;
            for (int j = 0; j < d; j++) {
              sum += in[o + j];
            }
            mean = (float) (sum / d);
            double var = 0;
            for (int j = 0; j < d; j++) {
              double cc = in[o + j] - mean;
              var += cc * cc;
            }
            inv = (float) (1.0 / Math.sqrt(var / d + eps));
          } else {
            double sq = 0;
            for (int j = 0; j < d; j++) {
              sq += (double) in[o + j] * in[o + j];
            }
            inv = (float) (1.0 / Math.sqrt(sq / d + eps));
          }
          if (stat != null) {
            stat[r] = inv;
            stat[n + r] = mean;
          }
          if (beta != null) {
            for (int j = 0; j < d; j++) {
              out[o + j] = (in[o + j] - mean) * inv * gamma[j] + beta[j];
            }
          } else {
            for (int j = 0; j < d; j++) {
              out[o + j] = gamma[j] * (in[o + j] * inv);
            }
          }
        });
  }

  /** Adds the norm's input gradient to {@code dx}; adds γ (and β) gradients. */
  private void normBackward(
      float[] in, float[] stat, float[] dy, float[] dx, Parameter gammaP, Parameter betaP) {
    float[] gamma = gammaP.value();
    boolean layerNorm = betaP != null;
    rows(
        r -> {
          int o = r * d;
          double inv = stat[r];
          double mean = stat[n + r];
          double sumG = 0;
          double sumGx = 0;
          for (int j = 0; j < d; j++) {
            double g = (double) gamma[j] * dy[o + j];
            double xhat = (in[o + j] - mean) * inv;
            sumG += g;
            sumGx += g * xhat;
          }
          double meanG = layerNorm ? sumG / d : 0;
          double meanGx = sumGx / d;
          for (int j = 0; j < d; j++) {
            double g = (double) gamma[j] * dy[o + j];
            double xhat = (in[o + j] - mean) * inv;
            dx[o + j] += (float) (inv * (g - meanG - xhat * meanGx));
          }
        });
    if (gammaP.trainable() || (layerNorm && betaP.trainable())) {
      float[] gg = gammaP.trainable() ? gammaP.grad() : null;
      float[] bg = layerNorm && betaP.trainable() ? betaP.grad() : null;
      int chunk = 16;
      pool.forEach(
          (d + chunk - 1) / chunk,
          task -> {
            int j1 = Math.min(d, (task + 1) * chunk);
            for (int j = task * chunk; j < j1; j++) {
              double sg = 0;
              double sb = 0;
              for (int r = 0; r < n; r++) {
                double xhat = (in[r * d + j] - stat[n + r]) * (double) stat[r];
                sg += dy[r * d + j] * xhat;
                sb += dy[r * d + j];
              }
              if (gg != null) {
                gg[j] += (float) sg;
              }
              if (bg != null) {
                bg[j] += (float) sb;
              }
            }
          });
    }
  }

  // ---- RoPE ----

  /**
   * Rotates q and k heads of {@code m [N, qkvDim]} by their positions, or back ({@code inverse}).
   */
  private void rope(float[] m, boolean inverse) {
    int hd = c.headDim();
    int half = hd / 2;
    int heads = c.heads() + c.kvHeads();
    rows(
        r -> {
          int co = (r % length) * half;
          for (int hIdx = 0; hIdx < heads; hIdx++) {
            int o = r * qkvDim + hIdx * hd;
            for (int i = 0; i < half; i++) {
              float x1 = m[o + i];
              float x2 = m[o + i + half];
              float cs = cos[co + i];
              float sn = inverse ? -sin[co + i] : sin[co + i];
              m[o + i] = x1 * cs - x2 * sn;
              m[o + i + half] = x2 * cs + x1 * sn;
            }
          }
        });
  }

  // ---- attention ----

  private float scale(int layer) {
    float s = (float) (1.0 / Math.sqrt(c.headDim()));
    return c.scaleAttnByInverseLayerIdx() ? s / (layer + 1) : s;
  }

  /**
   * Causal softmax of {@code q_h · k_hᵀ · scale} into {@code p [T, T]} (zeros above the diagonal).
   */
  private void probabilities(float[] m, int seq, int head, int kvHead, float sc, float[] p) {
    int hd = c.headDim();
    int T = length;
    int qOff = seq * T * qkvDim + head * hd;
    int kOff = seq * T * qkvDim + qDim + kvHead * hd;
    mp.gemm(false, true, T, T, hd, m, qOff, qkvDim, m, kOff, qkvDim, 0f, p, 0, T);
    for (int i = 0; i < T; i++) {
      int o = i * T;
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j <= i; j++) {
        p[o + j] *= sc;
        max = Math.max(max, p[o + j]);
      }
      double sum = 0;
      for (int j = 0; j <= i; j++) {
        float e = (float) Math.exp(p[o + j] - max);
        p[o + j] = e;
        sum += e;
      }
      float inv = (float) (1.0 / sum);
      for (int j = 0; j <= i; j++) {
        p[o + j] *= inv;
      }
      for (int j = i + 1; j < T; j++) {
        p[o + j] = 0f;
      }
    }
  }

  private void attention(int layer, float[] m, float[] out) {
    int heads = c.heads();
    int group = heads / c.kvHeads();
    int hd = c.headDim();
    int T = length;
    float sc = scale(layer);
    pool.forEach(
        batch * heads,
        task -> {
          int seq = task / heads;
          int head = task % heads;
          float[] p = new float[T * T];
          probabilities(m, seq, head, head / group, sc, p);
          int vOff = seq * T * qkvDim + qDim + kvDim + (head / group) * hd;
          mp.gemm(
              false,
              false,
              T,
              hd,
              T,
              p,
              0,
              T,
              m,
              vOff,
              qkvDim,
              0f,
              out,
              seq * T * qDim + head * hd,
              qDim);
        });
  }

  /** Writes d q|k|v (after RoPE) into {@code dm} from the attention output's gradient. */
  private void attentionBackward(int layer, float[] m, float[] dOut, float[] dm) {
    int heads = c.heads();
    int kvHeads = c.kvHeads();
    int group = heads / kvHeads;
    int hd = c.headDim();
    int T = length;
    float sc = scale(layer);
    pool.forEach(
        batch * kvHeads,
        task -> {
          int seq = task / kvHeads;
          int kvHead = task % kvHeads;
          float[] p = new float[T * T];
          float[] dp = new float[T * T];
          int rowBase = seq * T * qkvDim;
          int kOff = rowBase + qDim + kvHead * hd;
          int vOff = rowBase + qDim + kvDim + kvHead * hd;
          for (int g = 0; g < group; g++) {
            int head = kvHead * group + g;
            int qOff = rowBase + head * hd;
            int oOff = seq * T * qDim + head * hd;
            probabilities(m, seq, head, kvHead, sc, p);
            // dV += Pᵀ · dO
            mp.gemm(
                true,
                false,
                T,
                hd,
                T,
                p,
                0,
                T,
                dOut,
                oOff,
                qDim,
                g == 0 ? 0f : 1f,
                dm,
                vOff,
                qkvDim);
            // dP = dO · Vᵀ
            mp.gemm(false, true, T, T, hd, dOut, oOff, qDim, m, vOff, qkvDim, 0f, dp, 0, T);
            for (int i = 0; i < T; i++) {
              int o = i * T;
              double dot = 0;
              for (int j = 0; j <= i; j++) {
                dot += (double) p[o + j] * dp[o + j];
              }
              float dd = (float) dot;
              for (int j = 0; j <= i; j++) {
                dp[o + j] = p[o + j] * (dp[o + j] - dd) * sc;
              }
              for (int j = i + 1; j < T; j++) {
                dp[o + j] = 0f;
              }
            }
            // dQ = dS · K; dK += dSᵀ · Q
            mp.gemm(false, false, T, hd, T, dp, 0, T, m, kOff, qkvDim, 0f, dm, qOff, qkvDim);
            mp.gemm(
                true,
                false,
                T,
                hd,
                T,
                dp,
                0,
                T,
                m,
                qOff,
                qkvDim,
                g == 0 ? 0f : 1f,
                dm,
                kOff,
                qkvDim);
          }
        });
  }

  // ---- MLP activations ----

  private static final double GELU_C = 0.7978845608028654;

  /** The activation of layer {@code l} from its kept pre-activation. */
  private float[] activate(int l) {
    float[] pre = upPre[l];
    if (gpt2) {
      return act(l);
    }
    float[] out = act[l];
    rows(
        r -> {
          int g = r * 2 * inter;
          for (int j = 0; j < inter; j++) {
            float gate = pre[g + j];
            float silu = (float) (gate / (1 + Math.exp(-gate)));
            out[r * inter + j] = silu * pre[g + inter + j];
          }
        });
    return out;
  }

  private float[] geluBuffer;

  /** GPT-2's gelu_tanh of the kept pre-activation (recomputed: O(N·I), not kept per layer). */
  private float[] act(int l) {
    if (geluBuffer == null) {
      geluBuffer = new float[n * inter];
    }
    float[] pre = upPre[l];
    float[] out = geluBuffer;
    rows(
        r -> {
          for (int j = r * inter; j < (r + 1) * inter; j++) {
            double u = pre[j];
            out[j] = (float) (0.5 * u * (1 + Math.tanh(GELU_C * (u + 0.044715 * u * u * u))));
          }
        });
    return out;
  }

  private void activationBackward(int l, float[] dAct, float[] dUp) {
    float[] pre = upPre[l];
    if (gpt2) {
      rows(
          r -> {
            for (int j = r * inter; j < (r + 1) * inter; j++) {
              double u = pre[j];
              double t = Math.tanh(GELU_C * (u + 0.044715 * u * u * u));
              double deriv =
                  0.5 * (1 + t) + 0.5 * u * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * u * u);
              dUp[j] = (float) (dAct[j] * deriv);
            }
          });
      return;
    }
    rows(
        r -> {
          int g = r * 2 * inter;
          for (int j = 0; j < inter; j++) {
            double gate = pre[g + j];
            double sig = 1 / (1 + Math.exp(-gate));
            double silu = gate * sig;
            double da = dAct[r * inter + j];
            dUp[g + j] = (float) (da * pre[g + inter + j] * sig * (1 + gate * (1 - sig)));
            dUp[g + inter + j] = (float) (da * silu);
          }
        });
  }

  /** Runs {@code body} for every row, in blocks of {@value #ROWS_PER_TASK} over the workers. */
  private void rows(java.util.function.IntConsumer body) {
    pool.forEach(
        (n + ROWS_PER_TASK - 1) / ROWS_PER_TASK,
        task -> {
          int end = Math.min(n, (task + 1) * ROWS_PER_TASK);
          for (int r = task * ROWS_PER_TASK; r < end; r++) {
            body.accept(r);
          }
        });
  }
}
