package dev.winnow.prompt.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.prompt.InvalidRequestException;
import dev.winnow.prompt.PromptCompressor;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * JSON in and out of the prompt API: request bodies read into their types with the failing field
 * named, responses written and flushed inside the handler, and the error body {@code {"error":
 * {"status", "field", "message"}}}.
 */
final class ApiJson {
  static final ObjectMapper MAPPER = PromptCompressor.MAPPER;
  static final String JSON = "application/json";
  private static final String SENT = "winnow.sent";

  private ApiJson() {}

  /**
   * The request body. Javalin reads it under {@code config.http.maxRequestSize} (over it: its
   * {@code 413} exception, which {@link ApiErrors} answers); an empty body is a 400.
   */
  static byte[] body(Context ctx) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      throw new InvalidRequestException("request", "empty body; expected a JSON object");
    }
    return body;
  }

  /**
   * {@code body} as a {@code type}; a bad body is a 400 naming the field at fault (its JSON path).
   */
  static <T> T read(byte[] body, Class<T> type) {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new InvalidRequestException("request", "empty body; expected a JSON object");
      }
      return value;
    } catch (JsonMappingException e) {
      String field =
          e.getPath().stream()
              .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining("."))
              .replace(".[", "[");
      throw new InvalidRequestException(
          field.isEmpty() ? "request" : field, e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("request", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidRequestException("request", "unreadable body: " + e.getMessage());
    }
  }

  static void json(Context ctx, int status, Object body) {
    try {
      send(ctx, status, JSON, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the response as JSON", e);
    }
  }

  /**
   * Writes and flushes the whole response inside the handler, so that a request counted as finished
   * by the graceful shutdown has really been answered.
   */
  static void send(Context ctx, int status, String contentType, byte[] body) {
    try {
      ctx.status(status).contentType(contentType);
      ctx.res().setContentLength(body.length);
      var out = ctx.res().getOutputStream();
      out.write(body);
      out.flush();
      ctx.attribute(SENT, Boolean.TRUE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send the response: " + e.getMessage(), e);
    }
  }

  /** Whether the response has been sent by {@link #send}. */
  static boolean sent(Context ctx) {
    return ctx.attribute(SENT) != null;
  }

  /** Sends the error body; {@code field} is the request field at fault, or null. */
  static void error(Context ctx, int status, String field, String message) {
    ObjectNode error = MAPPER.createObjectNode().put("status", status);
    if (field != null) {
      error.put("field", field);
    }
    error.put("message", message);
    json(ctx, status, MAPPER.createObjectNode().set("error", error));
  }
}
