package dev.flotilla.agent;

import dev.flotilla.agent.reconcile.QuietMockServer;
import dev.flotilla.proto.AgentLimits;
import dev.flotilla.proto.SnapshotChunks;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.AgentServiceGrpc;
import dev.flotilla.proto.agent.v1.Assignment;
import dev.flotilla.proto.agent.v1.ControlMessage;
import dev.flotilla.proto.agent.v1.DriftAck;
import dev.flotilla.proto.agent.v1.StatusAck;
import dev.flotilla.proto.agent.v1.StoredStatus;
import dev.flotilla.proto.agent.v1.Welcome;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;

/**
 * What a whole agent runs against in a test: fabric8's mock API server in CRUD mode, a Git
 * repository with one app (apps/web, a ConfigMap named greeting), and a fake control plane on
 * loopback gRPC that welcomes the agent and sends it a snapshot of one assignment.
 */
final class AgentTestRig implements AutoCloseable {

  static final String CLUSTER = "test";

  private final KubernetesMockServer apiServer;
  private final KubernetesClient client;
  private volatile Server controlPlane;
  private final int controlPlanePort;
  private volatile boolean ackDrift;
  private volatile boolean ackStatuses;
  private volatile boolean storeStatuses;
  private final List<AgentMessage> received = new CopyOnWriteArrayList<>();
  private final String repoUrl;
  private final Path work;
  private volatile List<Assignment> snapshot;
  private volatile StreamObserver<ControlMessage> toAgent;

  /** Starts everything, with the Git repository under {@code tmp}. */
  AgentTestRig(Path tmp) throws Exception {
    QuietMockServer.quiet();
    apiServer =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    apiServer.init(InetAddress.getLoopbackAddress(), 0);
    client = apiServer.createClient();

    work = tmp.resolve("repo");
    try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
      Files.createDirectories(work.resolve("apps/web"));
      Files.writeString(
          work.resolve("apps/web/cm.yaml"),
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  hello: world\n");
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      git.commit().setMessage("web").setAuthor(who).setCommitter(who).setSign(false).call();
    }
    repoUrl = work.toUri().toString();
    snapshot = List.of(web());

    controlPlane =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new FakeControlPlane())
            .build()
            .start();
    controlPlanePort = controlPlane.getPort();
  }

  KubernetesClient client() {
    return client;
  }

  /** Every message the agent sent to the fake control plane, in order. */
  List<AgentMessage> received() {
    return received;
  }

  /**
   * An agent of cluster {@value #CLUSTER} that dials the fake control plane and keeps its
   * assignments in a ConfigMap.
   */
  AgentConfig config(Path stateDir) {
    return AgentConfig.builder("127.0.0.1:" + controlPlanePort, CLUSTER, "token")
        .stateDir(stateDir)
        .resyncInterval(Duration.ofMinutes(5))
        .workers(2)
        .backoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .stateStore(AgentConfig.StateStore.CONFIGMAP)
        .stateNamespace("flotilla-agent")
        .build();
  }

  /** apps/web into namespace demo, automated with self-heal. */
  Assignment web() {
    return Assignment.newBuilder()
        .setName("web")
        .setProject("default")
        .setGeneration(1)
        .setSpecJson(
            "{\"source\":{\"repoURL\":\""
                + repoUrl
                + "\",\"path\":\"apps/web\",\"targetRevision\":\"main\"},"
                + "\"destination\":{\"namespace\":\"demo\"},"
                + "\"syncPolicy\":{\"automated\":{\"selfHeal\":true}}}")
        .build();
  }

  /**
   * An automated Application of this repository: {@code path} into {@code namespace}, with {@code
   * syncPolicy} (JSON) as its spec.syncPolicy.
   */
  Assignment app(String name, String path, String namespace, String syncPolicy) {
    return Assignment.newBuilder()
        .setName(name)
        .setProject("default")
        .setGeneration(1)
        .setSpecJson(
            "{\"source\":{\"repoURL\":\""
                + repoUrl
                + "\",\"path\":\""
                + path
                + "\",\"targetRevision\":\"main\"},"
                + "\"destination\":{\"namespace\":\""
                + namespace
                + "\"},\"syncPolicy\":"
                + syncPolicy
                + "}")
        .build();
  }

  /** Commits {@code content} at {@code path} on main; returns the new commit's SHA. */
  String commit(String path, String content) throws Exception {
    try (Git git = Git.open(work.toFile())) {
      Path file = work.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      git.add().addFilepattern(".").call();
      PersonIdent who = new PersonIdent("t", "t@flotilla.invalid");
      return git.commit()
          .setMessage(path)
          .setAuthor(who)
          .setCommitter(who)
          .setSign(false)
          .call()
          .getName();
    }
  }

  /** The ConfigMap apps/web deploys, or null while it is not there. */
  ConfigMap greeting() {
    return client.configMaps().inNamespace("demo").withName("greeting").get();
  }

  /**
   * The one assignment the fake control plane sends when an agent says hello ({@link #web()} until
   * set).
   */
  void snapshotOnHello(Assignment assignment) {
    snapshot = List.of(assignment);
  }

  /**
   * The assignments the fake control plane sends when an agent says hello, streamed in chunks as
   * the real control plane does ({@link SnapshotChunks}).
   */
  void snapshotOnHello(List<Assignment> assignments) {
    snapshot = List.copyOf(assignments);
  }

  /**
   * apps/web into namespace {@code namespace}, automated, its spec padded with {@code padding}
   * bytes of Argo CD {@code spec.info} entries (text that compresses as generated YAML does).
   */
  Assignment web(String name, String namespace, long generation, int padding) {
    StringBuilder info = new StringBuilder();
    for (int i = 0; info.length() < padding; i++) {
      info.append(i == 0 ? "" : ",")
          .append("{\"name\":\"note-")
          .append(i)
          .append("\",\"value\":\"generated from element ")
          .append(i * 7919 % 100_003)
          .append(" of the list\"}");
    }
    return Assignment.newBuilder()
        .setName(name)
        .setProject("default")
        .setGeneration(generation)
        .setSpecJson(
            "{\"source\":{\"repoURL\":\""
                + repoUrl
                + "\",\"path\":\"apps/web\",\"targetRevision\":\"main\"},"
                + "\"destination\":{\"namespace\":\""
                + namespace
                + "\"},\"syncPolicy\":{\"automated\":{}},\"info\":["
                + info
                + "]}")
        .build();
  }

  /** Ends the stream of the agent connected last, as a control plane going away would. */
  void dropAgent() {
    toAgent.onError(
        io.grpc.Status.UNAVAILABLE.withDescription("test drops it").asRuntimeException());
  }

  /** Sends a message to the agent connected last. */
  void send(ControlMessage message) {
    toAgent.onNext(message);
  }

  void stopControlPlane() {
    controlPlane.shutdownNow();
  }

  /** Starts the fake control plane again after {@link #stopControlPlane()}, on the same port. */
  void startControlPlane() throws Exception {
    controlPlane.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    controlPlane =
        Grpc.newServerBuilderForPort(controlPlanePort, InsecureServerCredentials.create())
            .addService(new FakeControlPlane())
            .build()
            .start();
  }

  /**
   * From now on the fake control plane says in its Welcome that it acknowledges statuses, and
   * acknowledges each one it receives while {@code storing}; otherwise it acknowledges none, as
   * when its writes fail.
   */
  void ackStatuses(boolean storing) {
    ackStatuses = true;
    storeStatuses = storing;
  }

  /** From now on the fake control plane acknowledges every drift event, as the real one does. */
  void ackDrift() {
    ackDrift = true;
  }

  @Override
  public void close() {
    controlPlane.shutdownNow();
    client.close();
    apiServer.destroy();
  }

  private final class FakeControlPlane extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> out) {
      toAgent = out;
      return new StreamObserver<>() {
        @Override
        public void onNext(AgentMessage message) {
          received.add(message);
          if (message.hasDrift() && ackDrift) {
            out.onNext(
                ControlMessage.newBuilder()
                    .setDriftAck(DriftAck.newBuilder().addIds(message.getDrift().getId()))
                    .build());
          }
          if (message.hasStatuses() && ackStatuses && storeStatuses) {
            StatusAck.Builder ack = StatusAck.newBuilder();
            for (var s : message.getStatuses().getStatusesList()) {
              ack.addStatuses(
                  StoredStatus.newBuilder()
                      .setApplication(s.getApplication())
                      .setSequence(s.getSequence()));
            }
            out.onNext(ControlMessage.newBuilder().setStatusAck(ack).build());
          }
          if (message.hasHello()) {
            out.onNext(
                ControlMessage.newBuilder()
                    .setWelcome(
                        Welcome.newBuilder()
                            .setCluster(CLUSTER)
                            .setAcknowledgesStatuses(ackStatuses))
                    .build());
            SnapshotChunks.of(snapshot, List.of(), AgentLimits.SNAPSHOT_CHUNK_BYTES)
                .forEach(out::onNext);
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }
}
