package dev.winnow.prompt;

/** A compression request with a bad field: the message names the field, the value and the rule. */
public final class InvalidRequestException extends IllegalArgumentException {
  private final String field;

  public InvalidRequestException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
  }

  /** The request field at fault, e.g. {@code rate} or {@code context[2]}. */
  public String field() {
    return field;
  }
}
