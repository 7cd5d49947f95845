package dev.flotilla.core.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * The one duration syntax users type: Go's ({@code 300ms}, {@code 30s}, {@code 1h30m}, {@code
 * 1.5h}, as Argo CD and Kubernetes write them), plus {@code d} for days ({@code 30d}), plus
 * ISO-8601 ({@code PT3M}, {@code P1D}) so that values written for older versions keep working.
 *
 * <p>Negative durations are refused, although Go accepts a sign: every duration a user gives
 * Flotilla is a timeout, an interval, a backoff or a retention, for which a negative value can only
 * be a mistake. A leading {@code +} is accepted, as in Go. As in Go, the total may not exceed about
 * 292 years (what a signed 64-bit count of nanoseconds holds), and digits below a nanosecond are
 * dropped.
 */
public final class Durations {

  private static final String FORMS = "use 30s, 3m, 1h30m, 30d (or ISO-8601 such as PT3M)";

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /**
   * Nanoseconds per unit; {@code µ} (micro sign) and {@code μ} (Greek mu) both mean micro, as Go.
   */
  private static final Map<String, Long> UNITS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", NANOS_PER_SECOND,
          "m", 60 * NANOS_PER_SECOND,
          "h", 3_600 * NANOS_PER_SECOND,
          "d", 86_400 * NANOS_PER_SECOND);

  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private Durations() {}

  /**
   * Reads {@code text} as a duration of zero or more.
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an empty text is not a duration: " + FORMS);
    }
    String s = text.strip();
    Duration result = isIso(s) ? parseIso(text, s) : parseGo(text, s);
    if (result.isNegative()) {
      throw new IllegalArgumentException(
          "'" + text + "' is negative: a duration must be zero or more (" + FORMS + ")");
    }
    return result;
  }

  /**
   * The shortest form {@link #parse} reads back to the same value: {@code 3m}, {@code 1h30m},
   * {@code 1d12h}, {@code 1m30.5s}, {@code 300ms}, {@code 0s}.
   */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds == 0) {
      // Below a second, as Go: the largest unit that keeps the number at one or more.
      long unit = nanos >= 1_000_000 ? 1_000_000 : nanos >= 1_000 ? 1_000 : 1;
      String name = unit == 1_000_000 ? "ms" : unit == 1_000 ? "us" : "ns";
      return decimal(BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit))) + name;
    }
    StringBuilder out = new StringBuilder();
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3_600;
    long minutes = seconds % 3_600 / 60;
    long rest = seconds % 60;
    append(out, days, "d");
    append(out, hours, "h");
    append(out, minutes, "m");
    if (rest != 0 || nanos != 0) {
      out.append(decimal(BigDecimal.valueOf(rest).add(BigDecimal.valueOf(nanos, 9)))).append('s');
    }
    return out.toString();
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount != 0) {
      out.append(amount).append(unit);
    }
  }

  private static String decimal(BigDecimal value) {
    return value.stripTrailingZeros().toPlainString();
  }

  private static boolean isIso(String s) {
    int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
    return s.length() > i && (s.charAt(i) == 'P' || s.charAt(i) == 'p');
  }

  private static Duration parseIso(String text, String s) {
    try {
      // Duration.parse reads the letters in either case, but not a leading '+' in every JDK.
      return Duration.parse((s.startsWith("+") ? s.substring(1) : s).toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException | ArithmeticException e) {
      throw notADuration(text);
    }
  }

  /** Go's {@code time.ParseDuration} grammar: {@code [+-]?([0-9]*(\.[0-9]*)?unit)+}, or "0". */
  private static Duration parseGo(String text, String s) {
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '+' || s.charAt(0) == '-') {
      negative = s.charAt(0) == '-';
      i = 1;
    }
    if (s.substring(i).equals("0")) {
      return Duration.ZERO;
    }
    if (i == s.length()) {
      throw notADuration(text);
    }
    BigDecimal total = BigDecimal.ZERO;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(start, i);
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      Long unit = UNITS.get(s.substring(unitStart, i));
      if (unit == null || !isNumber(number)) {
        throw notADuration(text);
      }
      total =
          total.add(
              new BigDecimal(number.endsWith(".") ? number + "0" : number)
                  .multiply(BigDecimal.valueOf(unit)));
      if (total.toBigInteger().compareTo(MAX_NANOS) > 0) {
        throw new IllegalArgumentException(
            "'" + text + "' is too long: a duration may be at most about 292 years");
      }
    }
    long nanos = total.toBigInteger().longValueExact();
    return Duration.ofNanos(negative ? -nanos : nanos);
  }

  /** Digits with at most one '.', and at least one digit ({@code .5} and {@code 1.} are valid). */
  private static boolean isNumber(String number) {
    int dot = number.indexOf('.');
    return number.chars().anyMatch(Character::isDigit)
        && (dot < 0 || number.indexOf('.', dot + 1) < 0)
        && number.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException("'" + text + "' is not a duration: " + FORMS);
  }
}
