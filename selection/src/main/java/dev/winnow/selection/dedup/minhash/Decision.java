package dev.winnow.selection.dedup.minhash;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What near-duplicate detection decided for one document: {@link Kept} (it starts or is the
 * representative of a cluster) or {@link Duplicate} (it matched an earlier kept document).
 *
 * <p>{@code tooShort} marks documents shorter than one shingle: they have no signature and were
 * only compared exactly (on the shingler's canonical text) with earlier too-short documents.
 */
public sealed interface Decision permits Decision.Kept, Decision.Duplicate {

  /** Id of the document decided on. */
  String id();

  /** Cluster id: the id of the kept document that represents the cluster. */
  String cluster();

  /** Whether the document was shorter than one shingle. */
  boolean tooShort();

  /** Whether the document is kept. */
  boolean kept();

  /**
   * The decision as the fields of the {@code "dedup"} object of {@code winnow dedup}'s output, in
   * order: {@code {"kept": true, "cluster": C}} or {@code {"kept": false, "duplicate_of": ID,
   * "similarity": S}}, with {@code "too_short": true} added for documents shorter than one shingle.
   */
  Map<String, Object> asFields();

  /** A kept document: the first of its cluster, so its cluster id is its own id. */
  record Kept(String id, String cluster, boolean tooShort) implements Decision {
    @Override
    public boolean kept() {
      return true;
    }

    @Override
    public Map<String, Object> asFields() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kept", true);
      m.put("cluster", cluster);
      if (tooShort) {
        m.put("too_short", true);
      }
      return m;
    }
  }

  /**
   * A near-duplicate of the kept document {@code duplicateOf}, with their similarity: exact Jaccard
   * of the shingle sets when the exact check is on, else the signature estimate; 1.0 for exact
   * duplicates among too-short documents. {@code cluster} is the matched document's cluster: in
   * {@link NearDuplicateIndex} always {@code duplicateOf} itself (only kept documents are indexed);
   * a streaming stage that also stores matched documents may name an older one.
   */
  record Duplicate(
      String id, String duplicateOf, String cluster, double similarity, boolean tooShort)
      implements Decision {

    /** A duplicate of a kept document that names its own cluster. */
    public Duplicate(String id, String duplicateOf, double similarity, boolean tooShort) {
      this(id, duplicateOf, duplicateOf, similarity, tooShort);
    }

    @Override
    public boolean kept() {
      return false;
    }

    @Override
    public Map<String, Object> asFields() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kept", false);
      m.put("duplicate_of", duplicateOf);
      m.put("similarity", Math.round(similarity * 10_000) / 10_000.0);
      if (!cluster.equals(duplicateOf)) {
        m.put("cluster", cluster);
      }
      if (tooShort) {
        m.put("too_short", true);
      }
      return m;
    }
  }
}
