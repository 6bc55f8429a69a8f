package dev.winnow.jobs.curriculum;

/**
 * What a curriculum run did: documents placed, undecodable records routed to the dead letter, wall
 * time.
 */
public record CurriculumSummary(long documents, long deadLetters, double seconds) {
  public String line() {
    return String.format(
        "curriculum: %,d documents placed, %,d dead letters, %.1f s",
        documents, deadLetters, seconds);
  }
}
