package dev.flotilla.controlplane.identity;

/** How an audited request ended. */
public enum AuditResult {
  ALLOW("allow"),
  DENY("deny"),
  ERROR("error");

  private final String column;

  AuditResult(String column) {
    this.column = column;
  }

  public String column() {
    return column;
  }

  static AuditResult of(String column) {
    for (AuditResult r : values()) {
      if (r.column.equals(column)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown audit result '" + column + "'");
  }
}
