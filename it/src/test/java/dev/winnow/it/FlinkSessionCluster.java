package dev.winnow.it;

import dev.winnow.jobs.cli.JobManagerClient;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Flink session cluster of separate processes, assembled from the published Flink
 * artifacts (flink-dist is not published): one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each its own
 * JVM with its own configuration directory and log file. The class path is the Flink jars and their
 * dependencies from the test class path, without the project's own classes: the job's code reaches
 * the cluster only in the job jar, as on a real cluster.
 *
 * <p>Public, and this module publishes its test classes as a test jar, for the gigabyte benchmark
 * in {@code bench} ({@code CurationGigabyteBenchmark}), which runs the job on the same cluster.
 */
public final class FlinkSessionCluster implements AutoCloseable {
  private final Path dir;
  private final String classPath;
  private final int restPort;
  private final int slots;
  private final int taskHeapMb;
  private final List<String> jvmOptions;
  private final Process jobManager;
  private final List<Process> taskManagers = new ArrayList<>();
  private final List<String> taskManagerNames = new ArrayList<>();
  private int started;

  private FlinkSessionCluster(
      Path dir,
      String classPath,
      int restPort,
      int slots,
      int taskHeapMb,
      List<String> jvmOptions,
      Process jm) {
    this.dir = dir;
    this.taskHeapMb = taskHeapMb;
    this.classPath = classPath;
    this.restPort = restPort;
    this.slots = slots;
    this.jvmOptions = jvmOptions;
    this.jobManager = jm;
  }

  /** Starts a JobManager and {@code taskManagers} TaskManagers of {@code slots} slots each. */
  static FlinkSessionCluster start(Path dir, int taskManagers, int slots) throws Exception {
    return start(dir, taskManagers, slots, 384, List.of());
  }

  /**
   * As {@link #start(Path, int, int)}, with each TaskManager's task heap (MB) and extra JVM options
   * for every process ({@code {name}} in an option becomes the process's name, e.g. {@code
   * taskmanager-0}).
   */
  public static FlinkSessionCluster start(
      Path dir, int taskManagers, int slots, int taskHeapMb, List<String> jvmOptions)
      throws Exception {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
    int rpc = freePort();
    int rest = freePort();
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "jobmanager.rpc.address: 127.0.0.1",
            "jobmanager.rpc.port: " + rpc,
            "jobmanager.bind-host: 127.0.0.1",
            "jobmanager.memory.process.size: 768m",
            "rest.address: 127.0.0.1",
            "rest.bind-address: 127.0.0.1",
            "rest.port: " + rest,
            "taskmanager.host: 127.0.0.1",
            "taskmanager.bind-host: 127.0.0.1",
            "taskmanager.numberOfTaskSlots: " + slots,
            // a TaskManager started without Flink's scripts gets no derived memory settings: all
            // given
            "taskmanager.cpu.cores: " + slots,
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.task.heap.size: " + taskHeapMb + "m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.managed.size: 128m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            "blob.server.port: 0",
            "heartbeat.interval: 1000",
            "heartbeat.timeout: 20000", // generous: the build machine is shared and often loaded
            "web.upload.dir: " + Files.createDirectories(dir.resolve("uploads")),
            "io.tmp.dirs: " + Files.createDirectories(dir.resolve("tmp")),
            ""));
    Files.writeString(
        conf.resolve("log4j2.properties"),
        String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.file.ref = file",
            "appender.file.type = File",
            "appender.file.name = file",
            "appender.file.fileName = ${sys:log.file}",
            "appender.file.layout.type = PatternLayout",
            "appender.file.layout.pattern = %d %-5p [%t] %c - %m%n",
            ""));
    String cp = clusterClassPath();
    Process jm =
        launch(
            dir,
            cp,
            "jobmanager",
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            "512m",
            jvmOptions);
    FlinkSessionCluster c =
        new FlinkSessionCluster(dir, cp, rest, slots, taskHeapMb, jvmOptions, jm);
    try {
      for (int i = 0; i < taskManagers; i++) {
        c.startTaskManager();
      }
      c.awaitTaskManagers(taskManagers);
    } catch (Exception e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The JobManager's REST address, as {@code --jobmanager} takes it. */
  public String rest() {
    return "127.0.0.1:" + restPort;
  }

  public JobManagerClient client() {
    return new JobManagerClient(rest());
  }

  /**
   * {@code winnow curate --jobmanager <this cluster> --job-jar JAR --config CONFIG --bootstrap
   * BOOTSTRAP --detach [more]}, as a user submits the job; returns the job id it printed.
   */
  public String submitCurate(Path jobJar, Path config, String bootstrap, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "curate",
                "--jobmanager",
                rest(),
                "--job-jar",
                jobJar.toString(),
                "--config",
                config.toString(),
                "--bootstrap",
                bootstrap,
                "--detach"));
    args.addAll(List.of(more));
    String out = CliOutput.of(args.toArray(String[]::new));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("submitted job ([0-9a-f]{32})").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no job id in what curate printed:\n" + out);
    }
    return m.group(1);
  }

  /** The live processes by name ({@code jobmanager}, {@code taskmanager-<i>}). */
  public java.util.Map<String, Process> processes() {
    java.util.Map<String, Process> out = new java.util.LinkedHashMap<>();
    out.put("jobmanager", jobManager);
    for (int i = 0; i < taskManagers.size(); i++) {
      out.put(taskManagerNames.get(i), taskManagers.get(i));
    }
    return out;
  }

  /** Starts one more TaskManager process. */
  void startTaskManager() throws IOException {
    String name = "taskmanager-" + started++;
    taskManagerNames.add(name);
    taskManagers.add(
        launch(
            dir,
            classPath,
            name,
            "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
            // task heap + framework heap (128m) + headroom for the JVM (700m for the default 384m)
            (taskHeapMb + 316) + "m",
            jvmOptions));
  }

  /** {@code kill -9} of the {@code i}-th live TaskManager process. */
  void killTaskManager(int i) throws InterruptedException {
    taskManagerNames.remove(i);
    Process p = taskManagers.remove(i);
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no goodbye to the JobManager
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** Waits until {@code n} TaskManagers are registered. */
  void awaitTaskManagers(int n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!jobManager.isAlive()) {
        throw new IllegalStateException(
            "the JobManager exited; see " + dir.resolve("jobmanager.log"));
      }
      try {
        if (client().taskManagers() >= n) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        n + " TaskManagers did not register within 90 s; logs in " + dir, last);
  }

  @Override
  public void close() {
    for (Process p : taskManagers) {
      p.destroyForcibly();
    }
    jobManager.destroyForcibly();
    try {
      for (Process p : taskManagers) {
        p.waitFor(30, TimeUnit.SECONDS);
      }
      jobManager.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Process launch(
      Path dir, String cp, String name, String main, String heap, List<String> jvmOptions)
      throws IOException {
    Path log = dir.resolve(name + ".log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // what Flink's scripts pass on Java 17 (env.java.opts.all of its default configuration)
    for (String p :
        List.of(
            "java.base/java.lang",
            "java.base/java.net",
            "java.base/java.io",
            "java.base/java.nio",
            "java.base/sun.nio.ch",
            "java.base/java.lang.reflect",
            "java.base/java.text",
            "java.base/java.time",
            "java.base/java.util",
            "java.base/java.util.concurrent",
            "java.base/java.util.concurrent.atomic",
            "java.base/java.util.concurrent.locks")) {
      cmd.add("--add-opens=" + p + "=ALL-UNNAMED");
    }
    for (String p :
        List.of(
            "java.base/sun.net.util",
            "java.management/sun.management",
            "java.rmi/sun.rmi.registry",
            "java.security.jgss/sun.security.krb5")) {
      cmd.add("--add-exports=" + p + "=ALL-UNNAMED");
    }
    for (String o : jvmOptions) {
      cmd.add(o.replace("{name}", name));
    }
    cmd.addAll(
        List.of(
            "-Xmx" + heap,
            "-XX:MaxDirectMemorySize=512m",
            "-Dlog.file=" + log,
            "-Dlog4j.configurationFile=" + dir.resolve("conf").resolve("log4j2.properties"),
            "-cp",
            cp,
            main,
            "--configDir",
            dir.resolve("conf").toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".out").toFile())
        .start();
  }

  /**
   * The test class path without the project's own classes and jars (everything under the project
   * directory): Flink, its dependencies, and the libraries they need.
   */
  private static String clusterClassPath() {
    String project =
        Path.of(System.getProperty("winnow.project", "..")).toAbsolutePath().normalize().toString();
    List<String> keep = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String abs = Path.of(e).toAbsolutePath().normalize().toString();
      if (!abs.startsWith(project)
          && FLINK_DIST.matcher(abs).find()
          && !NOT_DIST.matcher(abs).find()) {
        keep.add(abs);
      }
    }
    return String.join(File.pathSeparator, keep);
  }

  /** What a Flink distribution's lib/ holds: Flink's modules and the libraries they use. */
  private static final java.util.regex.Pattern FLINK_DIST =
      java.util.regex.Pattern.compile(
          "/(org/apache/flink/|com/esotericsoftware/|org/objenesis/|org/apache/commons/|commons-[a-z]+/"
              + "|com/google/code/findbugs/|org/slf4j/|org/apache/logging/log4j/|com/ververica/"
              + "|org/xerial/snappy/|at/yawk/lz4/|org/lz4/|tools/profiler/|org/javassist/|com/twitter/"
              + "|org/yaml/|org/snakeyaml/|com/github/oshi/|net/java/dev/jna/|org/apache/pekko/)");

  /** Flink artifacts that are connectors or test utilities, not part of the distribution. */
  private static final java.util.regex.Pattern NOT_DIST =
      java.util.regex.Pattern.compile(
          "/org/apache/flink/(flink-connector-kafka|flink-test-utils|flink-connector-base)/|-tests\\.jar$");

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
