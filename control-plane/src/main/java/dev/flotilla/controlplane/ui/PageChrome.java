package dev.flotilla.controlplane.ui;

/**
 * What every page's frame shows: its title, who is logged in, the session's CSRF token (for the
 * forms and the page script) and which navigation entry is current.
 *
 * @param live whether the page listens for server-pushed changes
 */
public record PageChrome(String title, String user, String csrf, String active, boolean live) {

  public boolean is(String entry) {
    return entry.equals(active);
  }
}
