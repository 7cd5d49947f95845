package dev.flotilla.agent.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.flotilla.agent.reconcile.AppSpec;
import dev.flotilla.agent.reconcile.ApplicationReconciler;
import dev.flotilla.agent.reconcile.apply.ObjectKey;
import dev.flotilla.agent.reconcile.apply.ThreeWayMerge;
import dev.flotilla.agent.reconcile.apply.Tracking;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.util.Arrays;
import java.util.List;

/**
 * One object's difference between Git and the cluster, as {@code kubectl diff} shows it: the live
 * object against the live object as a sync would leave it. Both sides come from drift detection's
 * own comparison ({@link ApplicationReconciler#differences}), so a field {@code ignoreDifferences}
 * names, a default the API server filled in, or a field the agent never set is context, never a
 * change; status, managedFields and the server's bookkeeping are left out altogether. Secret values
 * are masked before anything is rendered. Pure.
 */
final class ManifestDiff {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());

  /** Lines of context around each change, as diff -u. */
  private static final int CONTEXT = 3;

  /** Set by the API server, never by Git: not shown. */
  private static final List<String> SERVER_METADATA =
      List.of(
          "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink");

  private ManifestDiff() {}

  /**
   * @param desired the object as the agent applies it, or null when Git no longer has it (pruned)
   * @param live the live object, or null when missing
   */
  record Result(boolean modified, String desiredYaml, String liveYaml, String unifiedDiff) {}

  static Result of(AppSpec app, ObjectKey key, ObjectNode desired, ObjectNode live) {
    ObjectNode target;
    boolean modified;
    if (desired == null) {
      target = null;
      modified = live != null;
    } else if (live == null) {
      target = desired.deepCopy();
      modified = true;
    } else {
      List<ThreeWayMerge.Operation> ops = ApplicationReconciler.differences(app, desired, live);
      modified = !ops.isEmpty();
      target = applied(live, ops);
    }
    ObjectNode[] masked =
        SecretMasking.maskPair(
            target == null ? null : normalised(target), live == null ? null : normalised(live));
    String desiredYaml = yaml(masked[0]);
    String liveYaml = yaml(masked[1]);
    String diff = modified ? unified(key, liveYaml, desiredYaml) : "";
    return new Result(modified, desiredYaml, liveYaml, diff);
  }

  private static ObjectNode applied(ObjectNode live, List<ThreeWayMerge.Operation> ops) {
    if (ops.isEmpty()) {
      return live.deepCopy();
    }
    try {
      return (ObjectNode) JsonPatch.apply(ThreeWayMerge.toPatch(ops), live.deepCopy());
    } catch (JsonPatchException | ClassCastException e) {
      // The merge's operations always apply to the object they came from; if not, say so.
      throw new IllegalStateException("cannot preview the sync of " + live + ": " + e.getMessage());
    }
  }

  /** Without what the server sets, the status, and the last-applied records. */
  static ObjectNode normalised(ObjectNode object) {
    ObjectNode copy = object.deepCopy();
    copy.remove("status");
    if (copy.get("metadata") instanceof ObjectNode meta) {
      SERVER_METADATA.forEach(meta::remove);
      if (meta.get("annotations") instanceof ObjectNode annotations) {
        annotations.remove(Tracking.LAST_APPLIED);
        annotations.remove(SecretMasking.KUBECTL_LAST_APPLIED);
        if (annotations.isEmpty()) {
          meta.remove("annotations");
        }
      }
    }
    return copy;
  }

  static String yaml(JsonNode object) {
    if (object == null) {
      return "";
    }
    try {
      return YAML.writeValueAsString(object);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML: " + e.getMessage(), e);
    }
  }

  /** diff -u of live against desired, headed by the object as argocd app diff heads it. */
  static String unified(ObjectKey key, String liveYaml, String desiredYaml) {
    List<String> live = lines(liveYaml);
    List<String> desired = lines(desiredYaml);
    List<String> diff =
        UnifiedDiffUtils.generateUnifiedDiff(
            "live", "desired", live, DiffUtils.diff(live, desired), CONTEXT);
    return String.join("\n", diff) + "\n";
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1)).subList(0, count(text));
  }

  private static int count(String text) {
    int n = text.split("\n", -1).length;
    return text.endsWith("\n") ? n - 1 : n;
  }
}
