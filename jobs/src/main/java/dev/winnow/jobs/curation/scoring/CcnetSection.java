package dev.winnow.jobs.curation.scoring;

import java.io.Serializable;

/**
 * CCNet perplexity buckets (Wenzek et al. 2020): {@code meta.winnow.ccnet} = {@code {bucket,
 * head_cut, tail_cut}} with bucket {@code head} (perplexity at most head_cut), {@code middle} (at
 * most tail_cut) or {@code tail}. Cut points are given, or each subtask learns them at the
 * percentiles from the perplexities of the first {@link #warmUpDocuments} documents it sees (held
 * in checkpointed state until then). A document without the perplexity (absent, null: a text of one
 * token) is {@code tail}, as in {@code PerplexityBuckets}.
 */
public class CcnetSection implements Serializable {
  private static final long serialVersionUID = 1L;
  public boolean enabled = false;

  /**
   * Where the perplexity is: {@code meta.winnow.<...>} in the job's annotations (the default needs
   * score.enabled), or {@code meta.<key>} in the document's own metadata.
   */
  public String perplexityField = "meta.winnow.score.ppl_word";

  /** Given head/middle cut point (with tailCut); null = learn both from the warm-up sample. */
  public Double headCut = null;

  /** Given middle/tail cut point (with headCut); null = learn both from the warm-up sample. */
  public Double tailCut = null;

  /** Share of the warm-up sample at or below the head cut (CCNet: 30%). */
  public double headPercentile = 0.30;

  /** Share of the warm-up sample at or below the tail cut (CCNet: 60%). */
  public double tailPercentile = 0.60;

  /**
   * Documents per subtask whose perplexities learn the cut points (unused when the cuts are given).
   */
  public int warmUpDocuments = 1000;

  /** The section as the selection module's bucket settings. */
  public dev.winnow.selection.ccnet.PerplexityBucketsConfig buckets() {
    var c = new dev.winnow.selection.ccnet.PerplexityBucketsConfig();
    c.headPercentile = headPercentile;
    c.tailPercentile = tailPercentile;
    c.headCut = headCut == null ? Double.NaN : headCut;
    c.tailCut = tailCut == null ? Double.NaN : tailCut;
    return c;
  }
}
