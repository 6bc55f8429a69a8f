package dev.winnow.jobs.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.winnow.ingest.serde.DocumentJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A Flink JobManager's REST API, as {@code flink run} uses it: upload the job jar, run its entry
 * class with arguments (the program builds and submits the job on the cluster), follow the job's
 * state. For {@code winnow curate|curriculum|pool index --jobmanager HOST:PORT}.
 */
public final class JobManagerClient {
  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** {@code hostPort}: the JobManager's REST address, e.g. {@code flink-jm:8081}. */
  public JobManagerClient(String hostPort) {
    this.base = URI.create(hostPort.contains("://") ? hostPort : "http://" + hostPort);
  }

  /** The web UI's (and REST API's) address. */
  public URI address() {
    return base;
  }

  /** Uploads a jar; returns the id the JobManager gave it. */
  public String upload(Path jar) throws IOException, InterruptedException {
    String boundary = "winnow-" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName()
                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(Files.readAllBytes(jar));
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    JsonNode r =
        send(
            HttpRequest.newBuilder(base.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())),
            "upload " + jar);
    String file = r.path("filename").asText();
    return file.substring(file.lastIndexOf('/') + 1);
  }

  /**
   * Runs {@code entryClass} of an uploaded jar with {@code args}; returns the submitted job's id.
   */
  public String run(String jarId, String entryClass, List<String> args)
      throws IOException, InterruptedException {
    return run(jarId, entryClass, args, null);
  }

  /**
   * The same, the job's state restored from {@code savepoint} (a savepoint's or retained
   * checkpoint's path, as {@code flink run -s} takes it), or from nothing when null.
   */
  public String run(String jarId, String entryClass, List<String> args, String savepoint)
      throws IOException, InterruptedException {
    ObjectNode req = DocumentJson.mapper().createObjectNode();
    req.put("entryClass", entryClass);
    if (savepoint != null) {
      req.put("savepointPath", savepoint);
    }
    ArrayNode list = req.putArray("programArgsList");
    args.forEach(list::add);
    JsonNode r =
        send(
            HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(req.toString())),
            "run " + entryClass);
    return r.path("jobid").asText();
  }

  /** The job's state, e.g. {@code RUNNING}, {@code FINISHED}, {@code FAILED}. */
  public String state(String jobId) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId)).GET(), "job " + jobId)
        .path("state")
        .asText();
  }

  /** Cancels the job (as {@code flink cancel} does); returns without waiting for it to end. */
  public void cancel(String jobId) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()),
        "cancel " + jobId);
  }

  /**
   * Stops the job with a savepoint in {@code targetDirectory} (as {@code flink stop
   * --savepointPath} does: no drain, the sinks commit what the savepoint covers) and waits for it;
   * returns the savepoint's path. The job then ends as FINISHED.
   */
  public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
      throws IOException, InterruptedException {
    ObjectNode req = DocumentJson.mapper().createObjectNode();
    req.put("targetDirectory", targetDirectory);
    req.put("drain", false);
    String trigger =
        send(
                HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/stop"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(req.toString())),
                "stop " + jobId + " with a savepoint")
            .path("request-id")
            .asText();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode r =
          send(
              HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/savepoints/" + trigger))
                  .GET(),
              "savepoint " + trigger + " of " + jobId);
      if ("COMPLETED".equals(r.path("status").path("id").asText())) {
        JsonNode op = r.path("operation");
        if (op.hasNonNull("location")) {
          return op.path("location").asText();
        }
        throw new IllegalStateException(
            "stopping job "
                + jobId
                + " with a savepoint failed: "
                + op.path("failure-cause").path("stack-trace").asText(op.toString()));
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "the savepoint of job " + jobId + " did not complete within " + timeout);
  }

  /** The job's run time in milliseconds (so far, or from start to end once it ended). */
  public long durationMs(String jobId) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId)).GET(), "job " + jobId)
        .path("duration")
        .asLong();
  }

  /** The parallelism of each of the job's vertices, by vertex name. */
  public java.util.Map<String, Integer> parallelism(String jobId)
      throws IOException, InterruptedException {
    java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
    send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId)).GET(), "job " + jobId)
        .path("vertices")
        .forEach(v -> out.put(v.path("name").asText(), v.path("parallelism").asInt()));
    return out;
  }

  /** Completed checkpoints of the job so far. */
  public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
    return checkpoints(jobId).path("counts").path("completed").asLong();
  }

  /**
   * The job's checkpoint statistics as the REST API gives them ({@code counts}, {@code summary}
   * with sizes and durations, {@code latest}, {@code history}).
   */
  public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/checkpoints")).GET(),
        "checkpoints of " + jobId);
  }

  /** The job's accumulators (the jobs' counters, {@code winnow.*}) by name. */
  public java.util.Map<String, Long> accumulators(String jobId)
      throws IOException, InterruptedException {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    send(
            HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/accumulators")).GET(),
            "accumulators of " + jobId)
        .path("user-task-accumulators")
        .forEach(a -> out.put(a.path("name").asText(), a.path("value").asLong()));
    return out;
  }

  /** Task managers registered with the JobManager. */
  public int taskManagers() throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve("/taskmanagers")).GET(), "task managers")
        .path("taskmanagers")
        .size();
  }

  private JsonNode send(HttpRequest.Builder req, String what)
      throws IOException, InterruptedException {
    HttpResponse<String> r;
    try {
      r =
          http.send(
              req.timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IllegalStateException(
          "no Flink JobManager answers at "
              + base
              + " ("
              + what
              + "): start the cluster or fix --jobmanager HOST:PORT (its REST port, 8081 by default)",
          e);
    }
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(
          "the JobManager at "
              + base
              + " refused to "
              + what
              + ": HTTP "
              + r.statusCode()
              + " "
              + r.body());
    }
    return DocumentJson.mapper().readTree(r.body());
  }
}
