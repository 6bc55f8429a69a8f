package dev.winnow.selection.budget;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.openhft.hashing.LongHashFunction;

/**
 * The budgeted decision in streaming mode: keep a candidate when its key reaches a threshold
 * estimated from a bounded reservoir sample of the keys seen so far, so that about {@link
 * BudgetConfig#fraction} of the stream's documents (or tokens) is kept.
 *
 * <p>Per pool (the stream, or one source with mixture weights), a uniform reservoir sample
 * (Vitter's algorithm R, seeded) of at most {@link BudgetConfig#reservoirSize} keys with their
 * units is kept; every {@link BudgetConfig#refreshEvery} offers the threshold is re-estimated as
 * the key at which the sample's units, taken best first, reach the pool's keep fraction. The first
 * {@link BudgetConfig#warmup} candidates of a pool are held back and decided together once the
 * first estimate exists (or at {@link #finish()}), so early documents are not decided blind.
 *
 * <p>Keep fraction of a pool: the configured fraction, or with mixture weights {@code fraction ×
 * share_s × (units seen / units of source s seen)}, capped at 1, so each source gets its share of
 * the kept units. An absolute {@link BudgetConfig#budget}, when set, is a hard cap over the whole
 * stream (never exceeded; once spent, everything is dropped).
 *
 * <p>The whole state (reservoirs, thresholds, held-back candidates, budget spent) is {@link
 * Serializable}, so a streaming job can checkpoint it and resume after a failure exactly where it
 * was. For the same reason the reservoir's replacement draws are not a random stream but a hash of
 * (seed, source, offer count): a restored selector draws what the original would have drawn.
 *
 * <p>Not thread-safe; in Flink, one instance per keyed/parallel subtask.
 *
 * <pre>{@code
 * StreamingBudgetSelector s = new StreamingBudgetSelector(config);   // config.fraction = 0.1
 * for (Candidate c : stream) for (Decision d : s.offer(c)) emit(d);
 * for (Decision d : s.finish()) emit(d);
 * }</pre>
 */
public final class StreamingBudgetSelector implements Serializable {
  private static final long serialVersionUID = 1L;

  private final BudgetConfig config;
  private final SelectionKeys keys;
  private final Map<String, Double> shares;
  private final Map<String, Pool> pools = new HashMap<>();
  private final LongHashFunction draws;
  private long unitsSeen;
  private long unitsKept;

  public StreamingBudgetSelector(BudgetConfig config) {
    config.validate("selection.budget");
    if (Double.isNaN(config.fraction)) {
      throw new IllegalArgumentException(
          "selection.budget.fraction must be set for streaming selection "
              + "(the stream's size is unknown; an absolute budget only caps it)");
    }
    this.config = config;
    this.keys = new SelectionKeys(config);
    this.shares = config.shares();
    this.draws = LongHashFunction.xx3(config.seed ^ 0x5DEECE66DL);
  }

  /** Offers one candidate; returns the decisions this releases (none while warming up). */
  public List<Decision> offer(Candidate c) {
    Pool p = pools.computeIfAbsent(shares == null ? "" : c.source(), Pool::new);
    double key = keys.key(c);
    long u = units(c);
    unitsSeen += u;
    p.unitsSeen += u;
    p.sample(key, u);
    if (!p.warm) {
      p.held.add(c);
      p.heldKeys.add(key);
      if (p.held.size() < config.warmup) {
        return List.of();
      }
      return release(p);
    }
    if (++p.sinceRefresh >= config.refreshEvery) {
      p.refresh();
    }
    return List.of(decide(p, c, key));
  }

  /** Decides every candidate still held back (end of a bounded stream). */
  public List<Decision> finish() {
    List<Decision> out = new ArrayList<>();
    for (Pool p : pools.values()) {
      if (!p.warm) {
        out.addAll(release(p));
      }
    }
    return out;
  }

  /**
   * The current threshold of a source's pool (the stream's with no mixture weights); NaN before the
   * first estimate.
   */
  public double threshold(String source) {
    Pool p = pools.get(shares == null ? "" : source);
    return p == null || !p.warm ? Double.NaN : p.threshold;
  }

  public long unitsKept() {
    return unitsKept;
  }

  private List<Decision> release(Pool p) {
    p.warm = true;
    p.refresh();
    List<Decision> out = new ArrayList<>(p.held.size());
    for (int i = 0; i < p.held.size(); i++) {
      out.add(decide(p, p.held.get(i), p.heldKeys.get(i)));
    }
    p.held.clear();
    p.heldKeys.clear();
    return out;
  }

  private Decision decide(Pool p, Candidate c, double key) {
    long u = units(c);
    boolean keep =
        key >= p.threshold
            && p.keepFraction() > 0
            && (config.budget < 0 || unitsKept + u <= config.budget);
    if (keep) {
      unitsKept += u;
    }
    return new Decision(c, keep, key, p.threshold);
  }

  private long units(Candidate c) {
    return config.unit == BudgetConfig.Unit.TOKENS ? c.tokens() : 1;
  }

  private final class Pool implements Serializable {
    private static final long serialVersionUID = 1L;
    final String source;
    final long sourceHash;
    final double[] sampleKeys = new double[config.reservoirSize];
    final long[] sampleUnits = new long[config.reservoirSize];
    int size;
    long offered;
    long unitsSeen;
    boolean warm;
    int sinceRefresh;
    double threshold = Double.POSITIVE_INFINITY;
    final List<Candidate> held = new ArrayList<>();
    final List<Double> heldKeys = new ArrayList<>();

    Pool(String source) {
      this.source = source;
      this.sourceHash = draws.hashChars(source);
    }

    void sample(double key, long units) {
      offered++;
      if (size < sampleKeys.length) {
        sampleKeys[size] = key;
        sampleUnits[size] = units;
        size++;
      } else {
        // algorithm R: replace a uniform slot j in [0, offered) when j falls inside the reservoir
        long j = Math.floorMod(draws.hashLongs(new long[] {sourceHash, offered}), offered);
        if (j < sampleKeys.length) {
          sampleKeys[(int) j] = key;
          sampleUnits[(int) j] = units;
        }
      }
    }

    double keepFraction() {
      if (shares == null) {
        return config.fraction;
      }
      double share = shares.getOrDefault(source, 0.0);
      return unitsSeen == 0
          ? 0
          : Math.min(
              1.0, config.fraction * share * StreamingBudgetSelector.this.unitsSeen / unitsSeen);
    }

    /** Threshold = the key where the sample's units, best first, reach the keep fraction. */
    void refresh() {
      sinceRefresh = 0;
      double f = keepFraction();
      if (size == 0 || f <= 0) {
        threshold = Double.POSITIVE_INFINITY;
        return;
      }
      if (config.unit == BudgetConfig.Unit.DOCUMENTS) {
        // every unit is 1: the threshold is the floor(f × size)-th best key; a primitive sort, no
        // boxing
        int count = (int) Math.floor(f * size);
        if (count == 0) {
          threshold = Double.POSITIVE_INFINITY;
          return;
        }
        double[] sorted = Arrays.copyOf(sampleKeys, size);
        Arrays.sort(sorted);
        threshold = sorted[size - count];
        return;
      }
      Integer[] order = new Integer[size];
      long total = 0;
      for (int i = 0; i < size; i++) {
        order[i] = i;
        total += sampleUnits[i];
      }
      Arrays.sort(order, (a, b) -> Double.compare(sampleKeys[b], sampleKeys[a]));
      double want = f * total;
      long acc = 0;
      threshold = Double.POSITIVE_INFINITY;
      for (Integer i : order) {
        if (acc + sampleUnits[i] > want) {
          break;
        }
        acc += sampleUnits[i];
        threshold = sampleKeys[i];
      }
    }
  }
}
