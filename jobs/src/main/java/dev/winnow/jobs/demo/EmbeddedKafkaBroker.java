package dev.winnow.jobs.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller), started inside this
 * JVM from the Kafka server artifacts on Maven Central. It is what {@code winnow demo} and the
 * integration tests run against: the same broker code as a production cluster, with replication
 * factors of one and a temporary log directory.
 *
 * <p>{@code transaction.max.timeout.ms} stays at the broker default (15 minutes); Winnow's Kafka
 * sinks use a transaction timeout below it (see the curation job's {@code
 * kafka.transactionTimeoutMs}).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start()) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private final Path dir;
  private final Properties config;
  private KafkaRaftServer server;
  private final String bootstrap;
  private final boolean deleteOnClose;
  private final Map<String, String> clientProperties;

  private EmbeddedKafkaBroker(
      Path dir,
      Properties config,
      KafkaRaftServer server,
      String bootstrap,
      boolean deleteOnClose,
      Map<String, String> clientProperties) {
    this.dir = dir;
    this.config = config;
    this.server = server;
    this.bootstrap = bootstrap;
    this.deleteOnClose = deleteOnClose;
    this.clientProperties = Map.copyOf(clientProperties);
  }

  /**
   * Starts a broker on free loopback ports with a temporary log directory that is deleted on close.
   */
  public static EmbeddedKafkaBroker start() throws IOException {
    return start(Files.createTempDirectory("winnow-kafka-"), true, new Properties());
  }

  /**
   * Starts a broker whose data lives in {@code dir} (formatted on first use).
   *
   * @param overrides extra broker properties, applied last
   */
  public static EmbeddedKafkaBroker start(Path dir, boolean deleteOnClose, Properties overrides)
      throws IOException {
    return start(dir, deleteOnClose, overrides, null);
  }

  /**
   * Starts a broker whose client listener requires SASL/PLAIN authentication (over plain TCP:
   * {@code SASL_PLAINTEXT}), as a secured cluster does, with a temporary log directory deleted on
   * close. {@link #clientProperties()} log in as the first user.
   *
   * @param users user name → password, in order; the first is also the broker's own login
   */
  public static EmbeddedKafkaBroker startSaslPlain(Map<String, String> users) throws IOException {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a SASL/PLAIN broker needs at least one user");
    }
    return start(
        Files.createTempDirectory("winnow-kafka-sasl-"),
        true,
        new Properties(),
        new LinkedHashMap<>(users));
  }

  /** The client properties that log in as {@code user} with {@code password} over SASL/PLAIN. */
  public static Map<String, String> saslPlainClientProperties(String user, String password) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SASL_PLAINTEXT");
    p.put("sasl.mechanism", "PLAIN");
    p.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
    return p;
  }

  private static EmbeddedKafkaBroker start(
      Path dir, boolean deleteOnClose, Properties overrides, Map<String, String> saslUsers)
      throws IOException {
    int brokerPort = freePort();
    int controllerPort = freePort();
    Path logs = dir.resolve("logs");
    Files.createDirectories(logs);
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String listener = saslUsers == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
    p.put(
        "listeners",
        listener + "://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", listener + "://127.0.0.1:" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", listener);
    p.put("listener.security.protocol.map", listener + ":" + listener + ",CONTROLLER:PLAINTEXT");
    Map<String, String> client = Map.of();
    if (saslUsers != null) {
      var first = saslUsers.entrySet().iterator().next();
      StringBuilder jaas =
          new StringBuilder(
                  "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"")
              .append(first.getKey())
              .append("\" password=\"")
              .append(first.getValue())
              .append('"');
      saslUsers.forEach(
          (u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
      p.put("sasl.enabled.mechanisms", "PLAIN");
      p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
      p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
      client = saslPlainClientProperties(first.getKey(), first.getValue());
    }
    p.put("log.dirs", logs.toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "4");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "4");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("auto.create.topics.enable", "false");
    p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    p.putAll(overrides);

    if (!Files.exists(logs.resolve("meta.properties"))) {
      Path propsFile = dir.resolve("server.properties");
      try (OutputStream out = Files.newOutputStream(propsFile)) {
        p.store(out, "winnow embedded broker");
      }
      ByteArrayOutputStream msg = new ByteArrayOutputStream();
      int rc =
          StorageTool$.MODULE$.execute(
              new String[] {
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                propsFile.toString(),
                "--ignore-formatted"
              },
              new PrintStream(msg, true, StandardCharsets.UTF_8));
      if (rc != 0) {
        throw new IOException(
            "formatting the embedded Kafka log directory "
                + logs
                + " failed: "
                + msg.toString(StandardCharsets.UTF_8));
      }
    }
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(
            dir, p, startServer(p), "127.0.0.1:" + brokerPort, deleteOnClose, client);
    broker.awaitReady();
    return broker;
  }

  private static KafkaRaftServer startServer(Properties p) {
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
    server.startup();
    return server;
  }

  /**
   * Stops the broker (a controlled shutdown, as {@code kafka-server-stop} does), keeping its log
   * directory; {@link #restart} brings it back on the same directory and ports. Clients see the
   * broker gone until then.
   */
  public synchronized void stop() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }

  /**
   * Starts the broker again after {@link #stop}, on the same log directory, ports and settings, and
   * waits until it answers; topics, committed offsets and transactions survive.
   */
  public synchronized void restart() throws IOException {
    if (server != null) {
      throw new IllegalStateException(
          "the broker on " + bootstrap + " is running; stop() it first");
    }
    server = startServer(config);
    awaitReady();
  }

  /** Whether the broker runs (not between {@link #stop} and {@link #restart}). */
  public synchronized boolean running() {
    return server != null;
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
      }
    }
    close();
    throw new IOException("embedded Kafka broker did not become ready within 60 s", last);
  }

  /** {@code host:port} of the broker's client listener. */
  public String bootstrapServers() {
    return bootstrap;
  }

  /**
   * What a client needs besides the bootstrap servers (for a SASL broker, the first user's login);
   * empty otherwise.
   */
  public Map<String, String> clientProperties() {
    return clientProperties;
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return Admin.create(p);
  }

  /** Creates the topics (replication factor 1) unless they exist. */
  public void createTopics(int partitions, String... topics) {
    try (Admin admin = admin()) {
      for (String t : topics) {
        try {
          admin
              .createTopics(List.of(new NewTopic(t, partitions, (short) 1)))
              .all()
              .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException(
                "cannot create topic " + t + " on " + bootstrap + ": " + e.getCause().getMessage(),
                e);
          }
        }
      }
    } catch (InterruptedException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topics " + List.of(topics) + " on " + bootstrap + ": " + e, e);
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } finally {
      if (deleteOnClose) {
        deleteRecursively(dir);
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
