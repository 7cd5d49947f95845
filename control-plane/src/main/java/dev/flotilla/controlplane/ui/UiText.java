package dev.flotilla.controlplane.ui;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/** Small formatting helpers the templates use. */
public final class UiText {

  private UiText() {}

  public static String urlEncode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The first 7 characters of a commit SHA, as Git shows it. */
  public static String shortSha(String sha) {
    return sha == null || sha.length() <= 7 ? (sha == null ? "" : sha) : sha.substring(0, 7);
  }

  /** "3m ago", "2h ago", "5d ago"; "never" for null. */
  public static String ago(Instant at, Instant now) {
    if (at == null) {
      return "never";
    }
    Duration d = Duration.between(at, now);
    if (d.isNegative() || d.getSeconds() < 60) {
      return "just now";
    }
    if (d.toMinutes() < 60) {
      return d.toMinutes() + "m ago";
    }
    if (d.toHours() < 48) {
      return d.toHours() + "h ago";
    }
    return d.toDays() + "d ago";
  }

  /** The CSS class of a sync status or a health: lower case, letters only. */
  public static String css(String status) {
    return status == null
        ? "unknown"
        : status.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "");
  }

  /** The symbol Argo CD users know for each status (also spelt out next to it). */
  public static String icon(String status) {
    return switch (status == null ? "" : status) {
      case "Healthy" -> "\u2665";
      case "Progressing" -> "\u25cc";
      case "Degraded" -> "\u2716";
      case "Suspended" -> "\u2016"; // ‖: the pause sign U+23F8 is missing from common fonts
      case "Missing" -> "\u25cb";
      case "Synced" -> "\u2714";
      case "OutOfSync" -> "\u21bb";
      default -> "?";
    };
  }

  /** A value of a drift field as one short line: "(absent)" for none, cut at 120 characters. */
  public static String brief(Object value) {
    if (value == null) {
      return "(absent)";
    }
    String text = value.toString().replaceAll("\\s+", " ");
    return text.length() <= 120 ? text : text.substring(0, 119) + "…";
  }
}
