package dev.winnow.jobs.kafka;

import dev.winnow.jobs.config.KafkaSection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka clients of the jobs' own steps outside Flink (creating output topics, pinning a
 * reference topic, counting what a run wrote), built from the same client properties as the jobs'
 * sources and sinks, so a secured cluster (SASL, SSL) works for all of them. An authentication or
 * authorization failure becomes one message that says so and names where the properties came from.
 */
public final class KafkaClients {
  private KafkaClients() {}

  /** The extra properties, then the bootstrap servers. */
  public static Properties properties(String bootstrap, Map<String, String> extra) {
    Properties p = new Properties();
    extra.forEach(p::setProperty);
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return p;
  }

  /** An admin client with the section's servers and properties; the caller closes it. */
  public static Admin admin(KafkaSection kafka) {
    Properties p = properties(kafka.bootstrap, kafka.properties);
    p.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
    return Admin.create(p);
  }

  /** How long the first call to a cluster may take before the command says that nothing answers. */
  static final int CONNECT_TIMEOUT_SECONDS = 15;

  /**
   * Checks, before a job starts, that a broker answers and that the job's input topic exists.
   *
   * @param option where the topic's name comes from, for the message (e.g. {@code topics.input})
   * @throws IllegalStateException in one line that says what is wrong and what to do
   */
  public static void requireTopic(KafkaSection kafka, String topic, String option) {
    Admin admin = admin(kafka);
    try {
      admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " does not exist on "
                + kafka.bootstrap
                + ": publish documents to it first (winnow publish --topic "
                + topic
                + " --input FILE) or name another ("
                + option
                + ")");
      }
      throw failure("cannot read topic " + topic, kafka, e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "no Kafka broker answers at "
              + kafka.bootstrap
              + " within "
              + CONNECT_TIMEOUT_SECONDS
              + " s: start one (./winnow demo runs an embedded broker for a try) or fix the address"
              + " (--bootstrap, kafka.bootstrap)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topic " + topic, e);
    } finally {
      admin.close(Duration.ofSeconds(1)); // not the timed-out call's own 60 s timeout
    }
  }

  /**
   * Creates the topics that do not exist yet; a replication factor of -1 means the broker's
   * default.
   *
   * @throws IllegalStateException naming the topic and the servers, and for a failed login where
   *     the client properties came from
   */
  public static void createTopics(
      KafkaSection kafka, int partitions, short replication, List<String> topics) {
    try (Admin admin = admin(kafka)) {
      for (String t : topics) {
        try {
          admin
              .createTopics(
                  List.of(
                      new NewTopic(
                          t,
                          Optional.of(partitions),
                          replication < 0 ? Optional.empty() : Optional.of(replication))))
              .all()
              .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw failure("cannot create topic " + t, kafka, e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while creating topics " + topics + " on " + kafka.bootstrap, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topics "
              + topics
              + " on "
              + kafka.bootstrap
              + ": no answer within 60 s; is a broker listening there?",
          e);
    }
  }

  /**
   * An exception for a failed client call: {@code what} on the servers, with the cause's message; a
   * failed login or a refused permission says so and where the properties came from.
   */
  public static IllegalStateException failure(String what, KafkaSection kafka, Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException) {
        return new IllegalStateException(
            "Kafka authentication failed at "
                + kafka.bootstrap
                + " ("
                + what
                + "): "
                + t.getMessage()
                + ". The client properties came from "
                + kafka.propertiesSource
                + "; check security.protocol, sasl.mechanism and sasl.jaas.config (user name and password) there",
            cause);
      }
      if (t instanceof AuthorizationException) {
        return new IllegalStateException(
            "Kafka refused the operation at "
                + kafka.bootstrap
                + " ("
                + what
                + "): "
                + t.getMessage()
                + ". The client properties came from "
                + kafka.propertiesSource
                + "; the principal needs the ACLs to create, read and write the job's topics and transactional ids",
            cause);
      }
    }
    return new IllegalStateException(
        what + " on " + kafka.bootstrap + ": " + cause.getMessage(), cause);
  }
}
