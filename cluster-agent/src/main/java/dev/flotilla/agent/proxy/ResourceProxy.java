package dev.flotilla.agent.proxy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import dev.flotilla.agent.proxy.ApplicationObjects.Node;
import dev.flotilla.agent.proxy.ApplicationObjects.Tree;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.DesiredState;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.Tracking;
import dev.flotilla.proto.ResourceProxyLimits;
import dev.flotilla.proto.agent.v1.AgentMessage;
import dev.flotilla.proto.agent.v1.LogLine;
import dev.flotilla.proto.agent.v1.ObjectDiff;
import dev.flotilla.proto.agent.v1.ObjectRef;
import dev.flotilla.proto.agent.v1.ProxiedObject;
import dev.flotilla.proto.agent.v1.ResourceRequest;
import dev.flotilla.proto.agent.v1.ResourceResponse;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's end of the resource proxy (as argocd-agent's): answers the control plane's reads of
 * this cluster — live and desired manifests, per-object diffs, one object, its events, Pod logs —
 * for Applications assigned to this agent only, and only about their objects and those objects'
 * children ({@link ApplicationObjects}); anything else is answered NOT_FOUND, exactly like a
 * missing object. Secret values are masked here, before anything leaves the cluster. Requests run
 * on a small pool of their own with a bounded queue (a flood is refused, never queued without end),
 * so they never delay a reconcile; a log follow holds no thread.
 */
public final class ResourceProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceProxy.class);

  /** Requests waiting beyond the ones running; more are refused as UNAVAILABLE. */
  static final int QUEUE = 64;

  private final ApplicationReconciler reconciler;
  private final ApplicationObjects objects;
  private final Predicate<String> assigned;
  private final Predicate<AgentMessage> send;
  private final ThreadPoolExecutor workers;
  private final LogFollows follows;

  /**
   * @param assigned whether an Application is assigned to this agent now
   * @param send puts a message on the stream; false when it is down (the answer is dropped, and the
   *     control plane's wait times out)
   * @param scheduler ends follows at their deadline and sends their lines in batches
   */
  public ResourceProxy(
      ApplicationReconciler reconciler,
      Predicate<String> assigned,
      Predicate<AgentMessage> send,
      ScheduledExecutorService scheduler,
      int threads) {
    this.reconciler = reconciler;
    this.objects = new ApplicationObjects(reconciler);
    this.assigned = assigned;
    this.send = send;
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "resource-proxy");
              t.setDaemon(true);
              return t;
            });
    this.follows = new LogFollows(new PodLogReader(reconciler.client()), scheduler, this::send);
  }

  /** Takes a request off the stream's thread; it is answered from the proxy's pool. */
  public void handle(ResourceRequest request) {
    try {
      workers.execute(() -> answer(request));
    } catch (RejectedExecutionException e) {
      send(
          AnswerParts.failure(
              request.getId(),
              0,
              "UNAVAILABLE",
              "the agent is busy with " + QUEUE + " resource requests; try again shortly"));
    }
  }

  /** The asker went away: a follow with this id stops. */
  public void cancel(String id) {
    follows.cancel(id);
  }

  /** Log follows running now (tests). */
  int following() {
    return follows.running();
  }

  void answer(ResourceRequest r) {
    try {
      String app = r.getApplication();
      if (!assigned.test(app)) {
        throw ProxyException.notFound("application '" + app + "' is not assigned to this agent");
      }
      switch (r.getKind()) {
        case LIVE_MANIFESTS -> reply(r, "", liveManifests(app));
        case DESIRED_MANIFESTS -> {
          DesiredState state = desired(app);
          List<Message> out = new ArrayList<>();
          state.objects().values().forEach(o -> out.add(proxied(o)));
          reply(r, state.revision(), out);
        }
        case DIFF -> {
          DesiredState state = desired(app);
          reply(r, state.revision(), diffs(state));
        }
        case LIVE_OBJECT -> {
          Node node = find(app, r.getObject());
          if (node.live() == null) {
            throw ProxyException.notFound(
                describe(r.getObject()) + " does not exist in the cluster");
          }
          reply(r, "", List.of(proxied(node.live())));
        }
        case EVENTS -> reply(r, "", ObjectEvents.of(reconciler.client(), find(app, r.getObject())));
        case LOGS -> logs(r, app);
        default -> throw ProxyException.invalid("unknown request kind " + r.getKind());
      }
    } catch (ProxyException e) {
      send(AnswerParts.failure(r.getId(), 0, e.code(), e.getMessage()));
    } catch (KubernetesClientException e) {
      send(
          AnswerParts.failure(
              r.getId(), 0, "UNAVAILABLE", "cannot read the cluster: " + e.getMessage()));
    } catch (RuntimeException e) {
      LOG.warn("resource request {} for {} failed", r.getKind(), r.getApplication(), e);
      send(AnswerParts.failure(r.getId(), 0, "INTERNAL", "agent error: " + e));
    }
  }

  private DesiredState desired(String app) {
    return reconciler
        .desiredState(app)
        .orElseThrow(
            () ->
                new ProxyException(
                    "FAILED_PRECONDITION",
                    "application '"
                        + app
                        + "' has not been rendered from Git yet (see its status message)"));
  }

  private List<Message> liveManifests(String app) {
    List<Message> out = new ArrayList<>();
    for (Node n : objects.read(app, ResourceProxyLimits.MAX_TREE_NODES, false).nodes()) {
      if (n.managed() && n.live() != null) {
        out.add(proxied(n.live()));
      }
    }
    return out;
  }

  /** Every object Git has, and every object the Application still owns that Git no longer has. */
  private List<Message> diffs(DesiredState state) {
    Map<ObjectKey, ObjectNode> live = reconciler.readLive(state.objects().keySet(), false);
    List<Message> out = new ArrayList<>();
    Set<ObjectKey> seen = new HashSet<>();
    state
        .objects()
        .forEach(
            (key, desired) -> {
              seen.add(key);
              out.add(diff(ManifestDiff.of(state.app(), key, desired, live.get(key)), key));
            });
    for (ObjectNode owned : reconciler.ownedObjects(state.app().name(), false)) {
      ObjectKey key = ObjectKey.of(owned);
      if (seen.add(key) && !state.skips(owned)) {
        out.add(diff(ManifestDiff.of(state.app(), key, null, owned), key));
      }
    }
    return out;
  }

  private static ObjectDiff diff(ManifestDiff.Result d, ObjectKey key) {
    return ObjectDiff.newBuilder()
        .setRef(ref(key))
        .setVersion(key.version())
        .setModified(d.modified())
        .setDesiredYaml(d.desiredYaml())
        .setLiveYaml(d.liveYaml())
        .setUnifiedDiff(d.unifiedDiff())
        .build();
  }

  private void logs(ResourceRequest r, String app) {
    Tree tree = objects.read(app, ResourceProxyLimits.MAX_TREE_NODES, false);
    Node node = find(tree, r.getObject(), app);
    List<Node> pods = tree.pods(node);
    if (pods.isEmpty()) {
      throw ProxyException.notFound(describe(r.getObject()) + " has no Pods to read logs from");
    }
    pods = pods.subList(0, Math.min(pods.size(), ResourceProxyLimits.MAX_LOG_PODS));
    if (r.getLogs().getFollow()) {
      follows.start(r.getId(), pods, r.getLogs());
      return;
    }
    PodLogReader reader = new PodLogReader(reconciler.client());
    List<LogLine> lines = new ArrayList<>();
    for (Node pod : pods) {
      lines.addAll(
          reader.read(pod, PodLogReader.container(pod, r.getLogs().getContainer()), r.getLogs()));
    }
    reply(r, "", lines);
  }

  private Node find(String app, ObjectRef ref) {
    return find(objects.read(app, ResourceProxyLimits.MAX_TREE_NODES, false), ref, app);
  }

  private static Node find(Tree tree, ObjectRef ref, String app) {
    if (ref.getKind().isEmpty() || ref.getName().isEmpty()) {
      throw ProxyException.invalid("kind and name of the object are required");
    }
    Optional<Node> found;
    try {
      found = tree.find(ref.getGroup(), ref.getKind(), ref.getNamespace(), ref.getName());
    } catch (IllegalArgumentException e) {
      throw ProxyException.invalid(e.getMessage());
    }
    return found.orElseThrow(
        () ->
            ProxyException.notFound(
                describe(ref) + " is not an object of application '" + app + "'"));
  }

  static String describe(ObjectRef ref) {
    return (ref.getGroup().isEmpty() ? "" : ref.getGroup() + "/")
        + ref.getKind()
        + " "
        + (ref.getNamespace().isEmpty() ? "" : ref.getNamespace() + "/")
        + ref.getName();
  }

  static ObjectRef ref(ObjectKey key) {
    return ObjectRef.newBuilder()
        .setGroup(key.group())
        .setKind(key.kind())
        .setNamespace(key.namespace())
        .setName(key.name())
        .build();
  }

  /** As JSON, Secret values masked, without our last-applied record (bookkeeping, and Git's). */
  static ProxiedObject proxied(ObjectNode object) {
    ObjectKey key = ObjectKey.of(object);
    ObjectNode copy = SecretMasking.mask(object).deepCopy();
    if (copy.path("metadata").path("annotations") instanceof ObjectNode annotations) {
      annotations.remove(Tracking.LAST_APPLIED);
    }
    return ProxiedObject.newBuilder()
        .setRef(ref(key))
        .setVersion(key.version())
        .setJson(copy.toString())
        .build();
  }

  private void reply(ResourceRequest r, String revision, List<? extends Message> items) {
    for (ResourceResponse part : AnswerParts.split(r.getId(), revision, items, 0, true)) {
      if (!send(part)) {
        return;
      }
    }
  }

  private boolean send(ResourceResponse part) {
    return send.test(AgentMessage.newBuilder().setResourceResponse(part).build());
  }

  @Override
  public void close() {
    follows.close();
    workers.shutdownNow();
  }
}
