package dev.flotilla.e2e;

import dev.flotilla.testkit.TestRepo;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the end-to-end tests that deploy apps/one ({@link AppSets#appsOneRepo}) to a fleet
 * of one cluster, east: the repository and the fleet are the test's own and closed after it.
 */
abstract class OneRepoFleetE2EBase {

  @TempDir Path tmp;
  TestRepo repo;
  Fleet fleet;

  private final String greeting;
  private final String message;

  /** apps/one's ConfigMap says {@code greeting}; the commit says {@code message}. */
  OneRepoFleetE2EBase(String greeting, String message) {
    this.greeting = greeting;
    this.message = message;
  }

  @BeforeEach
  void startFleet() throws Exception {
    repo = AppSets.appsOneRepo(tmp.resolve("repo"), greeting, message);
    fleet = new Fleet(tmp.resolve("fleet"), "east");
  }

  @AfterEach
  void stopFleet() throws Exception {
    fleet.close();
    repo.close();
  }
}
