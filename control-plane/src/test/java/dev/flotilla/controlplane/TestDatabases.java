package dev.flotilla.controlplane;

import dev.flotilla.controlplane.store.Database;
import dev.flotilla.testkit.TestPostgres;

/** A database of its own for each test, on testkit's one embedded PostgreSQL per test JVM. */
public final class TestDatabases {

  private TestDatabases() {}

  /** A fresh, empty database (not yet migrated). */
  public static Database fresh() {
    return Database.of(TestPostgres.fresh());
  }
}
