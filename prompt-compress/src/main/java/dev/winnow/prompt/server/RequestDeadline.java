package dev.winnow.prompt.server;

import dev.winnow.prompt.InvalidRequestException;
import io.javalin.http.Context;
import java.time.Duration;

/**
 * The deadline of a request: when it arrived plus the milliseconds of its {@code X-Deadline-Ms}
 * header, or the server's default ({@link ServerConfig#requestDeadline()}). Model work that cannot
 * be answered by then is refused with 429 ({@link WorkQueue}).
 */
final class RequestDeadline {
  static final String HEADER = "X-Deadline-Ms";
  private static final String ATTRIBUTE = "winnow.deadline";

  private RequestDeadline() {}

  /**
   * Sets the deadline of the request that arrived at {@code arrived} ({@link System#nanoTime()}); a
   * bad header is a 400.
   */
  static void set(Context ctx, long arrived, Duration byDefault) {
    String given = ctx.header(HEADER);
    long nanos = byDefault.toNanos();
    if (given != null) {
      long ms;
      try {
        ms = Long.parseLong(given.trim());
      } catch (NumberFormatException e) {
        ms = -1;
      }
      if (ms <= 0 || ms > ServerConfig.MAX_DEADLINE.toMillis()) {
        throw new InvalidRequestException(
            HEADER,
            "illegal value \""
                + given
                + "\": the milliseconds the client waits "
                + "for the answer must be an integer in [1, "
                + ServerConfig.MAX_DEADLINE.toMillis()
                + "]");
      }
      nanos = ms * 1_000_000;
    }
    ctx.attribute(ATTRIBUTE, arrived + nanos);
  }

  /** The deadline ({@link System#nanoTime()}) set for the request, or {@link WorkQueue#NONE}. */
  static long of(Context ctx) {
    Long deadline = ctx.attribute(ATTRIBUTE);
    return deadline == null ? WorkQueue.NONE : deadline;
  }
}
