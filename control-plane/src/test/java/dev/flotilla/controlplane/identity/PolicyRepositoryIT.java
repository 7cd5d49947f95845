package dev.flotilla.controlplane.identity;

import static dev.flotilla.controlplane.identity.IdentityDatabase.await;
import static dev.flotilla.controlplane.identity.IdentityDatabase.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.core.rbac.PolicyParseException;
import dev.flotilla.core.rbac.PolicySet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PolicyRepositoryIT {

  private static final String POLICY =
      """
      # SQL-looking names are just names here
      g, o'brien; DROP TABLE rbac_policy; --, team-a
      p, team-a, applications, *, team-a/*, allow
      p, ' OR '1'='1, applications, delete, */*, deny
      """;

  private IdentityDatabase db;
  private PolicyRepository policies;

  @BeforeEach
  void setUp() {
    db = new IdentityDatabase();
    policies = new PolicyRepository(db.pool);
  }

  @AfterEach
  void tearDown() throws Exception {
    db.close();
  }

  @Test
  void startsEmptyAndStoresThePolicyVerbatim() throws Exception {
    StoredPolicy initial = await(policies.get());
    assertThat(initial.text()).isEmpty();
    assertThat(initial.parsed().rules()).isEmpty();

    StoredPolicy put = await(policies.put(POLICY, "admin'--"));
    assertThat(put.text()).isEqualTo(POLICY);
    assertThat(put.updatedBy()).isEqualTo("admin'--");

    StoredPolicy read = await(policies.get());
    assertThat(read).isEqualTo(put);
    PolicySet parsed = read.parsed();
    assertThat(parsed.bindings().get(0).member()).isEqualTo("o'brien; DROP TABLE rbac_policy; --");
    assertThat(parsed.rules()).hasSize(2);
  }

  @Test
  void aRefusedPolicyLeavesTheStoredOneExactlyAsItWas() throws Exception {
    StoredPolicy before = await(policies.put(POLICY, "alice"));

    Throwable refused =
        failure(
            policies.put(POLICY + "p, team-b, applications, sync, team-b/*, permit\n", "mallory"));
    assertThat(refused)
        .isInstanceOf(PolicyParseException.class)
        .hasMessage("line 5: effect must be 'allow' or 'deny', found 'permit'");
    assertThat(failure(policies.put("x".repeat(PolicySet.MAX_CHARS + 1), "mallory")))
        .isInstanceOf(PolicyParseException.class);
    assertThat(failure(policies.put("p, a\u0000, applications, get, *, allow", "mallory")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(policies.put("'; DELETE FROM rbac_policy; --", "mallory")))
        .hasMessageStartingWith("line 1: ");

    assertThat(await(policies.get())).isEqualTo(before);
    assertThat(db.sql("SELECT count(*) FROM rbac_policy").iterator().next().getLong(0))
        .isEqualTo(1);
  }

  @Test
  void anEmptyPolicyIsAllowedAndClearsTheRules() throws Exception {
    await(policies.put(POLICY, "alice"));
    assertThat(await(policies.put("", "alice")).parsed().rules()).isEmpty();
  }
}
