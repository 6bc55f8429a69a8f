package dev.winnow.prompt.server;

/**
 * An HTTP error answer: the status, the request field at fault (or null) and a message saying what
 * to do.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String field;
  private final long retryAfterSeconds;

  public ApiException(int status, String field, String message) {
    this(status, field, message, 0);
  }

  /**
   * @param retryAfterSeconds for a 429 or 503: when to retry ({@code Retry-After}; 0: the default,
   *     1 s)
   */
  public ApiException(int status, String field, String message, long retryAfterSeconds) {
    super(message);
    this.status = status;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /**
   * A 429 for work that cannot be answered within its deadline; retry after the predicted wait (at
   * least 1 s).
   */
  static ApiException overloaded(double waitNanos, String message) {
    return new ApiException(429, null, message, Math.max(1, (long) Math.ceil(waitNanos / 1e9)));
  }

  public int status() {
    return status;
  }

  public String field() {
    return field;
  }

  /** Seconds for {@code Retry-After}; 0: none given (a 429 says 1). */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
