package dev.flotilla.agent.reconcile.health;

import static dev.flotilla.proto.agent.v1.HealthStatus.HEALTH_STATUS_DEGRADED;
import static dev.flotilla.proto.agent.v1.HealthStatus.HEALTH_STATUS_HEALTHY;
import static dev.flotilla.proto.agent.v1.HealthStatus.HEALTH_STATUS_MISSING;
import static dev.flotilla.proto.agent.v1.HealthStatus.HEALTH_STATUS_PROGRESSING;
import static dev.flotilla.proto.agent.v1.HealthStatus.HEALTH_STATUS_SUSPENDED;
import static dev.flotilla.proto.agent.v1.HealthStatus.HEALTH_STATUS_UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flotilla.agent.reconcile.health.HealthAssessor.StatuslessWorkloads;
import dev.flotilla.proto.agent.v1.HealthStatus;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HealthAssessorTest {

  static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, String object, HealthStatus expected, String messagePart) {
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
            HEALTH_STATUS_PROGRESSING,
            "observed deployment generation"),
        new Case(
            "deployment rolled out",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'replicas':2,'updatedReplicas':2,'availableReplicas':2}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "deployment updating",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':3},'status':{'observedGeneration':2,'replicas':3,'updatedReplicas':1,'availableReplicas':3}"),
            HEALTH_STATUS_PROGRESSING,
            "1 out of 3 new replicas"),
        new Case(
            "deployment with old replicas left",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'replicas':3,'updatedReplicas':2,'availableReplicas':2}"),
            HEALTH_STATUS_PROGRESSING,
            "old replicas are pending termination"),
        new Case(
            "deployment not yet available",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'replicas':2,'updatedReplicas':2,'availableReplicas':1}"),
            HEALTH_STATUS_PROGRESSING,
            "updated replicas are available"),
        new Case(
            "deployment past its deadline",
            obj(
                "apps/v1",
                "Deployment",
                ",'spec':{'replicas':1},'status':{'observedGeneration':2,'conditions':[{'type':'Progressing','status':'False','reason':'ProgressDeadlineExceeded'}]}"),
            HEALTH_STATUS_DEGRADED,
            "progress deadline"),
        new Case(
            "paused deployment",
            obj("apps/v1", "Deployment", ",'spec':{'paused':true}"),
            HEALTH_STATUS_SUSPENDED,
            "paused"),
        new Case(
            "statefulset ready",
            obj(
                "apps/v1",
                "StatefulSet",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'readyReplicas':2,'currentRevision':'r1','updateRevision':'r1'}"),
            HEALTH_STATUS_HEALTHY,
            "complete"),
        new Case(
            "statefulset waiting for pods",
            obj(
                "apps/v1",
                "StatefulSet",
                ",'spec':{'replicas':2},'status':{'observedGeneration':2,'readyReplicas':1}"),
            HEALTH_STATUS_PROGRESSING,
            "1 pods to be ready"),
        new Case(
            "statefulset rolling",
            obj(
                "apps/v1",
                "StatefulSet",
                ",'spec':{'replicas':1},'status':{'observedGeneration':2,'readyReplicas':1,'currentRevision':'r1','updateRevision':'r2'}"),
            HEALTH_STATUS_PROGRESSING,
            "rolling update"),
        new Case(
            "daemonset rolled out",
            obj(
                "apps/v1",
                "DaemonSet",
                ",'status':{'observedGeneration':2,'desiredNumberScheduled':3,'updatedNumberScheduled':3,'numberAvailable':3}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "daemonset updating",
            obj(
                "apps/v1",
                "DaemonSet",
                ",'status':{'observedGeneration':2,'desiredNumberScheduled':3,'updatedNumberScheduled':1,'numberAvailable':3}"),
            HEALTH_STATUS_PROGRESSING,
            "1 out of 3"),
        new Case(
            "replicaset available",
            obj(
                "apps/v1",
                "ReplicaSet",
                ",'spec':{'replicas':1},'status':{'observedGeneration':2,'availableReplicas':1}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "replicaset failing",
            obj(
                "apps/v1",
                "ReplicaSet",
                ",'status':{'observedGeneration':2,'conditions':[{'type':'ReplicaFailure','status':'True','message':'quota exceeded'}]}"),
            HEALTH_STATUS_DEGRADED,
            "quota exceeded"),
        new Case(
            "pod running and ready",
            obj(
                "v1",
                "Pod",
                ",'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}]}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "pod pending",
            obj("v1", "Pod", ",'status':{'phase':'Pending'}"),
            HEALTH_STATUS_PROGRESSING,
            ""),
        new Case(
            "pod crash looping",
            obj(
                "v1",
                "Pod",
                ",'status':{'phase':'Running','containerStatuses':[{'state':{'waiting':{'reason':'CrashLoopBackOff','message':'back-off restarting'}}}]}"),
            HEALTH_STATUS_DEGRADED,
            "back-off"),
        new Case(
            "pod failed",
            obj("v1", "Pod", ",'status':{'phase':'Failed','message':'OOMKilled'}"),
            HEALTH_STATUS_DEGRADED,
            "OOMKilled"),
        new Case(
            "pod succeeded",
            obj("v1", "Pod", ",'status':{'phase':'Succeeded'}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case("pod without phase", obj("v1", "Pod", ""), HEALTH_STATUS_UNKNOWN, ""),
        new Case(
            "load balancer without address",
            obj("v1", "Service", ",'spec':{'type':'LoadBalancer'}"),
            HEALTH_STATUS_PROGRESSING,
            "load balancer"),
        new Case(
            "load balancer with address",
            obj(
                "v1",
                "Service",
                ",'spec':{'type':'LoadBalancer'},'status':{'loadBalancer':{'ingress':[{'ip':'10.0.0.1'}]}}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "cluster IP service",
            obj("v1", "Service", ",'spec':{'type':'ClusterIP'}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "ingress without address",
            obj("networking.k8s.io/v1", "Ingress", ""),
            HEALTH_STATUS_PROGRESSING,
            "address"),
        new Case(
            "ingress with address",
            obj(
                "networking.k8s.io/v1",
                "Ingress",
                ",'status':{'loadBalancer':{'ingress':[{'hostname':'lb.example'}]}}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "pvc bound",
            obj("v1", "PersistentVolumeClaim", ",'status':{'phase':'Bound'}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "pvc pending",
            obj("v1", "PersistentVolumeClaim", ",'status':{'phase':'Pending'}"),
            HEALTH_STATUS_PROGRESSING,
            ""),
        new Case(
            "pvc lost",
            obj("v1", "PersistentVolumeClaim", ",'status':{'phase':'Lost'}"),
            HEALTH_STATUS_DEGRADED,
            ""),
        new Case(
            "job complete",
            obj(
                "batch/v1",
                "Job",
                ",'status':{'conditions':[{'type':'Complete','status':'True'}]}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "job failed",
            obj(
                "batch/v1",
                "Job",
                ",'status':{'conditions':[{'type':'Failed','status':'True','message':'BackoffLimitExceeded'}]}"),
            HEALTH_STATUS_DEGRADED,
            "BackoffLimit"),
        new Case(
            "job suspended",
            obj("batch/v1", "Job", ",'spec':{'suspend':true}"),
            HEALTH_STATUS_SUSPENDED,
            ""),
        new Case(
            "job running",
            obj("batch/v1", "Job", ",'status':{'active':1}"),
            HEALTH_STATUS_PROGRESSING,
            ""),
        new Case(
            "hpa without conditions",
            obj("autoscaling/v2", "HorizontalPodAutoscaler", ""),
            HEALTH_STATUS_PROGRESSING,
            "Waiting to Autoscale"),
        new Case(
            "hpa failing to read metrics",
            obj(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                ",'status':{'conditions':[{'type':'ScalingActive','status':'False','reason':'FailedGetResourceMetric','message':'no metrics'}]}"),
            HEALTH_STATUS_DEGRADED,
            "no metrics"),
        new Case(
            "hpa scaling",
            obj(
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                ",'status':{'conditions':[{'type':'AbleToScale','status':'True','reason':'ReadyForNewScale'}]}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "autoscaling/v1 hpa reporting replicas",
            obj("autoscaling/v1", "HorizontalPodAutoscaler", ",'status':{'currentReplicas':2}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "namespace active",
            obj("v1", "Namespace", ",'status':{'phase':'Active'}"),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "namespace terminating",
            obj("v1", "Namespace", ",'status':{'phase':'Terminating'}"),
            HEALTH_STATUS_PROGRESSING,
            "terminating"),
        new Case("config map exists", obj("v1", "ConfigMap", ""), HEALTH_STATUS_HEALTHY, ""),
        new Case("secret exists", obj("v1", "Secret", ""), HEALTH_STATUS_HEALTHY, ""),
        new Case(
            "custom resource exists",
            obj("example.com/v1", "Widget", ""),
            HEALTH_STATUS_HEALTHY,
            ""),
        new Case(
            "being deleted",
            "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x','deletionTimestamp':'2026-01-01T00:00:00Z'}}",
            HEALTH_STATUS_PROGRESSING,
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
    assertThat(new HealthAssessor().assess(null).status()).isEqualTo(HEALTH_STATUS_MISSING);
  }

  @Test
  void statuslessWorkloadsCanBeJudgedHealthyOnServersWithoutControllers() throws Exception {
    var deployment =
        JSON.readTree(obj("apps/v1", "Deployment", ",'spec':{'replicas':1}").replace('\'', '"'));
    var failingPod =
        JSON.readTree(obj("v1", "Pod", ",'status':{'phase':'Failed'}").replace('\'', '"'));
    HealthAssessor demo = new HealthAssessor(StatuslessWorkloads.HEALTHY);

    assertThat(demo.assess(deployment).status()).isEqualTo(HEALTH_STATUS_HEALTHY);
    assertThat(demo.assess(deployment).message()).contains("no status reported");
    assertThat(demo.assess(failingPod).status())
        .as("a real status still counts")
        .isEqualTo(HEALTH_STATUS_DEGRADED);
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
