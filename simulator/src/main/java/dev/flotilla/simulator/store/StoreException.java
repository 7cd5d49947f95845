package dev.flotilla.simulator.store;

/**
 * A write the API server would refuse; the HTTP layer turns each into a Kubernetes {@code Status}
 * with the same reason and code.
 */
public abstract sealed class StoreException extends RuntimeException {

  protected StoreException(String message) {
    super(message);
  }

  /** HTTP status code of the Kubernetes {@code Status}. */
  public abstract int code();

  /** The {@code Status.reason}, e.g. {@code NotFound}. */
  public abstract String reason();

  /** 404 NotFound. */
  public static final class NotFound extends StoreException {
    public NotFound(String message) {
      super(message);
    }

    @Override
    public int code() {
      return 404;
    }

    @Override
    public String reason() {
      return "NotFound";
    }
  }

  /** 409 AlreadyExists. */
  public static final class AlreadyExists extends StoreException {
    public AlreadyExists(String message) {
      super(message);
    }

    @Override
    public int code() {
      return 409;
    }

    @Override
    public String reason() {
      return "AlreadyExists";
    }
  }

  /** 409 Conflict: a stale resourceVersion. */
  public static final class Conflict extends StoreException {
    public Conflict(String message) {
      super(message);
    }

    @Override
    public int code() {
      return 409;
    }

    @Override
    public String reason() {
      return "Conflict";
    }
  }

  /** 422 Invalid: the object breaks a rule (missing name, wrong kind, bad label...). */
  public static final class Invalid extends StoreException {
    public Invalid(String message) {
      super(message);
    }

    @Override
    public int code() {
      return 422;
    }

    @Override
    public String reason() {
      return "Invalid";
    }
  }

  /** 410 Expired: a watch asked for a resourceVersion older than the history kept. */
  public static final class Expired extends StoreException {
    public Expired(String message) {
      super(message);
    }

    @Override
    public int code() {
      return 410;
    }

    @Override
    public String reason() {
      return "Expired";
    }
  }
}
