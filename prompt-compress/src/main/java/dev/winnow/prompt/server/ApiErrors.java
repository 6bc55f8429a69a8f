package dev.winnow.prompt.server;

import dev.winnow.prompt.InvalidRequestException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How exceptions become answers, through Javalin's exception mapping: {@link ApiException} its
 * status (429 with {@code Retry-After}: 1 s, or the predicted wait of work refused for its
 * deadline), {@link InvalidRequestException} 400 naming the field, Javalin's own 413 (the body
 * limit) and 404 (no such endpoint) in our error format, anything else 500 (logged).
 */
final class ApiErrors {
  private static final Logger LOG = LoggerFactory.getLogger(PromptApiServer.class);

  private ApiErrors() {}

  static void register(RoutesConfig routes, long maxBodyBytes) {
    routes.exception(
        ApiException.class,
        (e, ctx) -> {
          if (e.status() == 429) {
            ctx.header("Retry-After", Long.toString(Math.max(1, e.retryAfterSeconds())));
          }
          ApiJson.error(ctx, e.status(), e.field(), e.getMessage());
        });
    routes.exception(
        InvalidRequestException.class,
        (e, ctx) -> ApiJson.error(ctx, 400, e.field(), e.getMessage()));
    routes.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
            ApiJson.error(
                ctx,
                e.getStatus(),
                null,
                "the body is over "
                    + maxBodyBytes
                    + " bytes, the server's limit (winnow serve --max-body-bytes)");
          } else if (e.getStatus() == HttpStatus.NOT_FOUND.getCode()) {
            ApiJson.error(
                ctx,
                e.getStatus(),
                null,
                "no endpoint " + ctx.method() + " " + ctx.path() + "; see GET /openapi.yaml");
          } else {
            ApiJson.error(ctx, e.getStatus(), null, e.getMessage());
          }
        });
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
          ApiJson.error(ctx, 500, null, "internal error: " + e);
        });
  }
}
