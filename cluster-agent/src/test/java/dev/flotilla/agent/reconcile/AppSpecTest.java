package dev.flotilla.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.render.RenderSource;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AppSpecTest {

  @Test
  void parsesAFullArgoCdApplicationSpec() {
    AppSpec app =
        AppSpec.parse(
            "billing",
            "payments",
            """
            {"source":{"repoURL":"https://git.example/infra.git","targetRevision":"main","path":"apps/billing",
                       "directory":{"recurse":true,"include":"*.yaml","exclude":"test/*"}},
             "destination":{"server":"https://kubernetes.default.svc","namespace":"billing"},
             "syncPolicy":{"automated":{"prune":true,"selfHeal":true,"allowEmpty":false},
                           "syncOptions":["CreateNamespace=true","PruneLast=true"],
                           "retry":{"limit":5,"backoff":{"duration":"5s","factor":2,"maxDuration":"3m"}}},
             "ignoreDifferences":[{"group":"apps","kind":"Deployment","jsonPointers":["/spec/replicas"]}]}
            """);

    assertThat(app.source().path()).isEqualTo("apps/billing");
    assertThat(app.source().directory())
        .isEqualTo(new dev.flotilla.render.RenderSource.Directory(true, "*.yaml", "test/*"));
    assertThat(app.destination().namespace()).isEqualTo("billing");
    assertThat(app.syncPolicy().prune()).isTrue();
    assertThat(app.syncPolicy().selfHeal()).isTrue();
    assertThat(app.syncPolicy().syncOptions().createNamespace()).isTrue();
    assertThat(app.syncPolicy().syncOptions().pruneLast()).isTrue();
    assertThat(app.syncPolicy().retry().limit()).isEqualTo(5);
    assertThat(app.syncPolicy().retry().backoff(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(app.syncPolicy().retry().backoff(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(app.syncPolicy().retry().backoff(10)).isEqualTo(Duration.ofMinutes(3));
    assertThat(app.ignoreDifferences().get(0).matches("apps", "Deployment", "ns", "web")).isTrue();
  }

  @Test
  void withoutSyncPolicyTheApplicationIsManual() {
    AppSpec app = AppSpec.parse("a", "p", "{\"source\":{\"path\":\"x\"}}");

    assertThat(app.syncPolicy().prune()).isFalse();
    assertThat(app.syncPolicy().selfHeal()).isFalse();
    assertThat(app.syncPolicy().retry()).isNull();
  }

  @Test
  void fillsInArgoCdDefaultsForWhatIsAbsent() {
    AppSpec app =
        AppSpec.parse(
            "a",
            null,
            "{\"source\":{},\"syncPolicy\":{\"automated\":{\"enabled\":false},\"retry\":{}}}");

    assertThat(app.project()).isEmpty();
    assertThat(app.source().path()).isEqualTo(".");
    assertThat(app.source().targetRevision()).isEqualTo("HEAD");
    assertThat(app.source().repoURL()).isEmpty();
    assertThat(app.destination()).isEqualTo(new AppSpec.Destination("", "", ""));
    assertThat(app.syncPolicy().automated()).isNull();
    assertThat(app.syncPolicy().retry().limit()).isZero();
    assertThat(app.syncPolicy().retry().backoff(1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(app.syncPolicy().retry().backoff(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(app.syncPolicy().retry().backoff(9)).isEqualTo(Duration.ofMinutes(3));
  }

  @Test
  void readsEverySourceOfAMultiSourceApplicationInOrder() {
    AppSpec app =
        AppSpec.parse(
            "healthcare",
            "healthcare",
            """
            {"sources":[
               {"repoURL":"https://git.example/charts.git","targetRevision":"v1","path":"charts/api",
                "helm":{"valueFiles":["$values/prod/values.yaml"]}},
               {"repoURL":"https://git.example/values.git","targetRevision":"","ref":"values"},
               {"repoURL":"https://git.example/extra.git","path":"","ref":"extra"},
               {"repoURL":"https://git.example/more.git","path":"more","ref":"more"}],
             "destination":{"namespace":"healthcare"}}
            """);

    assertThat(app.isMultiSource()).isTrue();
    assertThat(app.allSources()).hasSize(4);
    assertThat(app.source()).isEqualTo(app.allSources().get(0));
    assertThat(app.allSources().stream().map(RenderSource::isRefOnly))
        .containsExactly(false, true, true, false);
    assertThat(app.allSources().get(1).targetRevision()).isEqualTo("HEAD");
    assertThat(app.allSources().get(1).ref()).isEqualTo("values");
    AppSpec one = app.withSource(app.allSources().get(3));
    assertThat(one.isMultiSource()).isFalse();
    assertThat(one.source().path()).isEqualTo("more");
  }

  @Test
  void aSingleSourceApplicationIsNoMultiSourceOne() {
    AppSpec app = AppSpec.parse("a", "p", "{\"source\":{\"path\":\"x\"}}");

    assertThat(app.isMultiSource()).isFalse();
    assertThat(app.allSources()).containsExactly(app.source());
  }

  record Bad(String json, String messagePart) {
    @Override
    public String toString() {
      return messagePart;
    }
  }

  static Stream<Bad> bad() {
    return Stream.of(
        new Bad("{not json", "not valid JSON"),
        new Bad("{}", "spec.source or spec.sources is required"),
        new Bad("{\"source\":{\"path\":3}}", "spec.source.path must be a string"),
        new Bad(
            "{\"source\":{\"directory\":{\"recurse\":\"maybe\"}}}",
            "spec.source.directory.recurse must be true or false"),
        new Bad(
            "{\"source\":{},\"syncPolicy\":{\"syncOptions\":[\"Prune\"]}}",
            "'Prune' is not of the form Key=Value"),
        new Bad(
            "{\"source\":{},\"syncPolicy\":{\"retry\":{\"backoff\":{\"duration\":\"soon\"}}}}",
            "spec.syncPolicy.retry.backoff.duration: 'soon' is not a duration: use 30s, 3m,"),
        new Bad(
            "{\"source\":{},\"syncPolicy\":{\"retry\":{\"backoff\":{\"maxDuration\":\"\"}}}}",
            "spec.syncPolicy.retry.backoff.maxDuration: an empty text is not a duration"),
        new Bad(
            "{\"source\":{},\"syncPolicy\":{\"retry\":{\"limit\":\"x\"}}}",
            "spec.syncPolicy.retry.limit must be an integer"),
        new Bad(
            "{\"source\":{},\"ignoreDifferences\":[{\"group\":\"apps\"}]}",
            "spec.ignoreDifferences[0].kind is required"),
        new Bad(
            "{\"source\":{\"helm\":{\"valueFiles\":\"v.yaml\"}}}",
            "spec.source.helm.valueFiles must be a list"),
        new Bad("{\"source\":{\"chart\":\"nginx\"}}", "spec.source.chart"),
        new Bad(
            "{\"sources\":[{\"ref\":\"v\"},{\"ref\":\"v\",\"path\":\"x\"}]}",
            "spec.sources[1].ref 'v' is also the ref of spec.sources[0]"),
        new Bad(
            "{\"sources\":[{\"ref\":\"a/b\"}]}",
            "spec.sources[0].ref 'a/b' is not a valid name: it must not contain '/' or '$'"),
        new Bad(
            "{\"sources\":[{\"ref\":\"v\",\"repoURL\":\"https://charts.example\","
                + "\"chart\":\"db\",\"targetRevision\":\"1.0.0\"}]}",
            "a ref source must be a Git repository"),
        new Bad("{\"sources\":[{\"ref\":7}]}", "spec.sources[0].ref must be a string"),
        new Bad("{\"source\":{},\"destination\":{\"namespace\":7}}", "spec.destination.namespace"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void namesTheBadField(Bad b) {
    assertThatThrownBy(() -> AppSpec.parse("a", "p", b.json()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(b.messagePart());
  }
}
