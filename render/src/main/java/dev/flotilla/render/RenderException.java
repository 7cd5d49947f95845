package dev.flotilla.render;

/**
 * Rendering failed; the message names the file or tool and says why, for the Application's status.
 */
public class RenderException extends Exception {
  public RenderException(String message) {
    super(message);
  }

  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
