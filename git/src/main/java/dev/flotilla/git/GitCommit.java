package dev.flotilla.git;

/**
 * Who made a commit and why, for status displays.
 *
 * @param author the author's name (never the e-mail address: not needed to tell who changed what)
 * @param subject the first line of the message, at most {@link #MAX_SUBJECT} characters
 * @param committedAtMillis the committer's time, Unix milliseconds
 */
public record GitCommit(String sha, String author, String subject, long committedAtMillis) {

  /** A subject is a line; a longer one is cut (with an ellipsis) so statuses stay small. */
  public static final int MAX_SUBJECT = 200;

  /** The first line of {@code message}, cut to {@link #MAX_SUBJECT} characters. */
  public static String subjectOf(String message) {
    String text = message == null ? "" : message.strip();
    int eol = text.indexOf('\n');
    String line = (eol < 0 ? text : text.substring(0, eol)).strip();
    if (line.length() <= MAX_SUBJECT) {
      return line;
    }
    int end = MAX_SUBJECT - 1;
    if (Character.isHighSurrogate(line.charAt(end - 1))) {
      end--; // never split a character in two
    }
    return line.substring(0, end) + "…";
  }
}
