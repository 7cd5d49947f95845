package dev.flotilla.cli;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The lines of a streamed HTTP answer (newline-delimited JSON), handed from the HTTP client's
 * threads to the command's thread, which blocks in {@link #next} until a line, the end of the
 * stream or its own deadline: a CLI may block, but never longer than the user allowed.
 */
final class LineStream implements Flow.Subscriber<String>, AutoCloseable {

  /** What {@link #next} hands back: a line, or the end of the stream. */
  record Next(String line, boolean ended) {}

  private static final Next ENDED = new Next(null, true);

  private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(String line) {
    if (!line.isBlank()) {
      items.add(new Next(line, false));
    }
  }

  @Override
  public void onError(Throwable e) {
    items.add(new CliException("the stream from the control plane broke: " + rootMessage(e)));
  }

  @Override
  public void onComplete() {
    items.add(ENDED);
  }

  /** The request failed before any line (no connection, a refusal such as 403). */
  void fail(CliException e) {
    items.add(e);
  }

  /**
   * The next line or the end of the stream; null when nothing came within {@code timeout}.
   *
   * @throws CliException when the stream broke or was refused, with the reason
   */
  Next next(Duration timeout) throws CliException {
    Object item;
    try {
      item = items.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
    if (item instanceof CliException e) {
      throw e;
    }
    return (Next) item;
  }

  /** Stops reading: the connection is let go. */
  @Override
  public void close() {
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }
}
