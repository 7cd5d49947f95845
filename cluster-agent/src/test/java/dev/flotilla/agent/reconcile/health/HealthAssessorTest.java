package dev.flotilla.agent.reconcile.health;

import static dev.flotilla.agent.reconcile.health.HealthState.DEGRADED;
import static dev.flotilla.agent.reconcile.health.HealthState.HEALTHY;
import static dev.flotilla.agent.reconcile.health.HealthState.MISSING;
import static dev.flotilla.agent.reconcile.health.HealthState.PROGRESSING;
import static dev.flotilla.agent.reconcile.health.HealthState.SUSPENDED;
import static dev.flotilla.agent.reconcile.health.HealthState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HealthAssessorTest {

  static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, String object, HealthState expected, String messagePart) {
    @Override
    public String toString() {
      return name;
    }
  }

  static String obj(String apiVersion, String kind, String rest) {
    return "{'apiVersion':'"
        + apiVersion
        + "','kind':'"
        + kind
        + "','metadata':{'name':'x','generation':2}"
        + rest
        + "}";
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "deployment without status waits for the rollout to be observed",
            obj("apps/v1", "Deployment", ",'spec':{'replicas':1}"),
            PROGRESSING,
            "observed deployment generation"),
        new Case(
            "deployment rolled out",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'replicas':2,'updatedReplicas':2,'availableReplicas':2}"),
            HEALTHY,
            ""),
        new Case(
            "deployment updating",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':3},'status':{'observedGeneration':2,'replicas':3,'updatedReplicas':1,'availableReplicas':3}"),
            PROGRESSING,
            "1 out of 3 new replicas"),
        new Case(
            "deployment with old replicas left",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'replicas':3,'updatedReplicas':2,'availableReplicas':2}"),
            PROGRESSING,
            "old replicas are pending termination"),
        new Case(
            "deployment not yet available",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'replicas':2,'updatedReplicas':2,'availableReplicas':1}"),
            PROGRESSING,
            "updated replicas are available"),
        new Case(
            "deployment past its deadline",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':1},'status':{'observedGeneration':2,'conditions':[{'type':'Progressing','status':'False','reason':'ProgressDeadlineExceeded'}]}"),
            DEGRADED,
            "progress deadline"),
        new Case(
            "paused deployment",
            obj("apps/v1", "Deployment", ",'spec':{'paused':true}"),
            SUSPENDED,
            "paused"),
        new Case(
            "statefulset ready",
            obj(
                "apps/v1",
                "StatefulSet",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'readyReplicas':2,'currentRevision':'r1','updateRevision':'r1'}"),
            HEALTHY,
            "complete"),
        new Case(
            "statefulset waiting for pods",
            obj(
                "apps/v1",
                "StatefulSet",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'readyReplicas':1}"),
            PROGRESSING,
            "1 pods to be ready"),
        new Case(
            "statefulset rolling",
            obj(
                "apps/v1",
                "StatefulSet",
                ",'spec':{'replicas':1},'status':{'observedGeneration':2,'readyReplicas':1,'currentRevision':'r1','updateRevision':'r2'}"),
            PROGRESSING,
            "rolling update"),
        new Case(
            "daemonset rolled out",
            obj(
                "apps/v1",
                "DaemonSet",
                ",'status':{'observedGeneration':2,'desiredNumberScheduled':3,'updatedNumberScheduled':3,'numberAvailable':3}"),
            HEALTHY,
            ""),
        new Case(
            "daemonset updating",
            obj(
                "apps/v1",
                "DaemonSet",
                ",'status':{'observedGeneration':2,'desiredNumberScheduled':3,'updatedNumberScheduled':1,'numberAvailable':3}"),
            PROGRESSING,
            "1 out of 3"),
        new Case(
            "replicaset available",
            obj(
                "apps/v1",
                "ReplicaSet",
                ",'spec':{'replicas':1},'status':{'observedGeneration':2,'availableReplicas':1}"),
            HEALTHY,
            ""),
        new Case(
            "replicaset failing",
            obj(
                "apps/v1",
                "ReplicaSet",
                ",'status':{'observedGeneration':2,'conditions':[{'type':'ReplicaFailure','status':'True','message':'quota exceeded'}]}"),
            DEGRADED,
            "quota exceeded"),
        new Case(
            "pod running and ready",
            obj(
                "v1",
                "Pod",
                ",'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}]}"),
            HEALTHY,
            ""),
        new Case("pod pending", obj("v1", "Pod", ",'status':{'phase':'Pending'}"), PROGRESSING, ""),
        new Case(
            "pod crash looping",
            obj(
                "v1",
                "Pod",
                ",'status':{'phase':'Running','containerStatuses':[{'state':{'waiting':{'reason':'CrashLoopBackOff','message':'back-off restarting'}}}]}"),
            DEGRADED,
            "back-off"),
        new Case(
            "pod failed",
            obj("v1", "Pod", ",'status':{'phase':'Failed','message':'OOMKilled'}"),
            DEGRADED,
            "OOMKilled"),
        new Case("pod succeeded", obj("v1", "Pod", ",'status':{'phase':'Succeeded'}"), HEALTHY, ""),
        new Case("pod without phase", obj("v1", "Pod", ""), UNKNOWN, ""),
        new Case(
            "load balancer without address",
            obj("v1", "Service", ",'spec':{'type':'LoadBalancer'}"),
            PROGRESSING,
            "load balancer"),
        new Case(
            "load balancer with address",
            obj(
                "v1",
                "Service",
                ",'spec':{'type':'LoadBalancer'},'status':{'loadBalancer':{'ingress':[{'ip':'10.0.0.1'}]}}"),
            HEALTHY,
            ""),
        new Case(
            "cluster IP service",
            obj("v1", "Service", ",'spec':{'type':'ClusterIP'}"),
            HEALTHY,
            ""),
        new Case(
            "ingress without address",
            obj("networking.k8s.io/v1", "Ingress", ""),
            PROGRESSING,
            "address"),
        new Case(
            "ingress with address",
            obj(
                "networking.k8s.io/v1",
                "Ingress",
                ",'status':{'loadBalancer':{'ingress':[{'hostname':'lb.example'}]}}"),
            HEALTHY,
            ""),
        new Case(
            "pvc bound",
            obj("v1", "PersistentVolumeClaim", ",'status':{'phase':'Bound'}"),
            HEALTHY,
            ""),
        new Case(
            "pvc pending",
            obj("v1", "PersistentVolumeClaim", ",'status':{'phase':'Pending'}"),
            PROGRESSING,
            ""),
        new Case(
            "pvc lost",
            obj("v1", "PersistentVolumeClaim", ",'status':{'phase':'Lost'}"),
            DEGRADED,
            ""),
        new Case(
            "job complete",
            obj(
                "batch/v1",
                "Job",
                ",'status':{'conditions':[{'type':'Complete','status':'True'}]}"),
            HEALTHY,
            ""),
        new Case(
            "job failed",
            obj(
                "batch/v1",
                "Job",
                ",'status':{'conditions':[{'type':'Failed','status':'True','message':'BackoffLimitExceeded'}]}"),
            DEGRADED,
            "BackoffLimit"),
        new Case(
            "job suspended", obj("batch/v1", "Job", ",'spec':{'suspend':true}"), SUSPENDED, ""),
        new Case("job running", obj("batch/v1", "Job", ",'status':{'active':1}"), PROGRESSING, ""),
        new Case(
            "hpa without conditions",
            obj("autoscaling/v2", "HorizontalPodAutoscaler", ""),
            PROGRESSING,
            "Waiting to Autoscale"),
        new Case(
            "hpa failing to read metrics",
            obj(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                ",'status':{'conditions':[{'type':'ScalingActive','status':'False','reason':'FailedGetResourceMetric','message':'no metrics'}]}"),
            DEGRADED,
            "no metrics"),
        new Case(
            "hpa scaling",
            obj(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                ",'status':{'conditions':[{'type':'AbleToScale','status':'True','reason':'ReadyForNewScale'}]}"),
            HEALTHY,
            ""),
        new Case(
            "autoscaling/v1 hpa reporting replicas",
            obj("autoscaling/v1", "HorizontalPodAutoscaler", ",'status':{'currentReplicas':2}"),
            HEALTHY,
            ""),
        new Case(
            "namespace active",
            obj("v1", "Namespace", ",'status':{'phase':'Active'}"),
            HEALTHY,
            ""),
        new Case(
            "namespace terminating",
            obj("v1", "Namespace", ",'status':{'phase':'Terminating'}"),
            PROGRESSING,
            "terminating"),
        new Case("config map exists", obj("v1", "ConfigMap", ""), HEALTHY, ""),
        new Case("secret exists", obj("v1", "Secret", ""), HEALTHY, ""),
        new Case("custom resource exists", obj("example.com/v1", "Widget", ""), HEALTHY, ""),
        new Case(
            "being deleted",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x','deletionTimestamp':'2026-01-01T00:00:00Z'}}",
            PROGRESSING,
            "deletion"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void judgesLikeArgoCd(Case c) throws Exception {
    Health h = new HealthAssessor().assess(JSON.readTree(c.object().replace('\'', '"')));

    assertThat(h.status()).as(h.message()).isEqualTo(c.expected());
    assertThat(h.message()).contains(c.messagePart());
  }

  @Test
  void aMissingObjectIsMissing() {
    assertThat(new HealthAssessor().assess(null).status()).isEqualTo(MISSING);
  }

  @Test
  void statuslessWorkloadsCanBeJudgedHealthyOnServersWithoutControllers() throws Exception {
    var deployment =
        JSON.readTree(obj("apps/v1", "Deployment", ",'spec':{'replicas':1}").replace('\'', '"'));
    var failingPod =
        JSON.readTree(obj("v1", "Pod", ",'status':{'phase':'Failed'}").replace('\'', '"'));
    HealthAssessor demo = new HealthAssessor(StatuslessWorkloads.HEALTHY);

    assertThat(demo.assess(deployment).status()).isEqualTo(HEALTHY);
    assertThat(demo.assess(deployment).message()).contains("no status reported");
    assertThat(demo.assess(failingPod).status())
        .as("a real status still counts")
        .isEqualTo(DEGRADED);
  }

  @Test
  void worstFollowsArgoOrder() {
    assertThat(Health.degraded("").isWorseThan(Health.MISSING)).isTrue();
    assertThat(Health.MISSING.isWorseThan(Health.progressing(""))).isTrue();
    assertThat(Health.progressing("").isWorseThan(Health.suspended(""))).isTrue();
    assertThat(Health.suspended("").isWorseThan(Health.HEALTHY)).isTrue();
    assertThat(Health.unknown("").isWorseThan(Health.degraded(""))).isTrue();
  }
}
