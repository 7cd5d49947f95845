package dev.flotilla.core.project;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A five-field cron schedule (minute, hour, day of month, month, day of week) as Argo CD's sync
 * windows read it (robfig/cron's standard parser): lists, ranges, steps, {@code *} and {@code ?},
 * month and weekday names; day of week 0-6 from Sunday (7 is accepted for Sunday too). When both
 * day of month and day of week are restricted a day matching either fires, as in cron.
 */
final class CronSchedule {

  /** How far {@link #next} looks before deciding a schedule never fires (e.g. 31 February). */
  private static final int SEARCH_YEARS = 5;

  private static final List<String> MONTHS =
      List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final String text;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String text, long[] fields, boolean anyDom, boolean anyDow) {
    this.text = text;
    this.minutes = fields[0];
    this.hours = fields[1];
    this.daysOfMonth = fields[2];
    this.months = fields[3];
    // Sunday may be written 0 or 7.
    this.daysOfWeek = (fields[4] & (1L << 7)) != 0 ? (fields[4] | 1L) & ~(1L << 7) : fields[4];
    this.anyDayOfMonth = anyDom;
    this.anyDayOfWeek = anyDow;
  }

  /**
   * @throws IllegalArgumentException saying what is wrong with the expression
   */
  static CronSchedule parse(String text) {
    String[] parts = text.strip().split("\\s+");
    if (parts.length != 5 || text.isBlank()) {
      throw new IllegalArgumentException(
          "expected 5 fields (minute hour day-of-month month day-of-week), got '" + text + "'");
    }
    String[] names = {"minute", "hour", "day of month", "month", "day of week"};
    int[] min = {0, 0, 1, 1, 0};
    int[] max = {59, 23, 31, 12, 7};
    List<List<String>> aliases = List.of(List.of(), List.of(), List.of(), MONTHS, DAYS);
    long[] fields = new long[5];
    for (int i = 0; i < 5; i++) {
      fields[i] = field(parts[i], names[i], min[i], max[i], aliases.get(i), i == 3 ? 1 : 0);
    }
    return new CronSchedule(text.strip(), fields, isAny(parts[2]), isAny(parts[4]));
  }

  private static boolean isAny(String field) {
    return field.equals("*") || field.equals("?");
  }

  private static long field(
      String field, String name, int min, int max, List<String> aliases, int aliasBase) {
    long bits = 0;
    for (String item : field.split(",", -1)) {
      String range = item;
      int step = 1;
      int slash = item.indexOf('/');
      if (slash >= 0) {
        range = item.substring(0, slash);
        step = number(item.substring(slash + 1), name, item, List.of(), 0);
        if (step < 1) {
          throw new IllegalArgumentException(name + ": step must be at least 1 in '" + item + "'");
        }
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = name.equals("day of week") ? 6 : max;
      } else {
        int dash = range.indexOf('-');
        from = number(dash < 0 ? range : range.substring(0, dash), name, item, aliases, aliasBase);
        // "5/15" means from 5 to the end, every 15.
        to =
            dash >= 0
                ? number(range.substring(dash + 1), name, item, aliases, aliasBase)
                : slash >= 0 ? (name.equals("day of week") ? 6 : max) : from;
      }
      if (from < min || to > max || from > to) {
        throw new IllegalArgumentException(
            name + ": '" + item + "' is outside " + min + "-" + max + " or an empty range");
      }
      for (int v = from; v <= to; v += step) {
        bits |= 1L << v;
      }
    }
    return bits;
  }

  private static int number(
      String s, String name, String item, List<String> aliases, int aliasBase) {
    int alias = aliases.indexOf(s.toUpperCase(Locale.ROOT));
    if (alias >= 0) {
      return alias + aliasBase;
    }
    if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(name + ": '" + item + "' is not a number or range");
    }
    return Integer.parseInt(s);
  }

  boolean matches(ZonedDateTime t) {
    return bit(minutes, t.getMinute())
        && bit(hours, t.getHour())
        && bit(months, t.getMonthValue())
        && dayMatches(t);
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = bit(daysOfMonth, t.getDayOfMonth());
    boolean dow = bit(daysOfWeek, t.getDayOfWeek().getValue() % 7);
    return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
  }

  private static boolean bit(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  /**
   * The first time strictly after {@code after} that the schedule fires, read in {@code zone};
   * empty when it does not fire within {@value #SEARCH_YEARS} years.
   */
  Optional<ZonedDateTime> next(ZonedDateTime after, ZoneId zone) {
    ZonedDateTime t =
        after.withZoneSameInstant(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(SEARCH_YEARS);
    while (t.isBefore(limit)) {
      if (!bit(months, t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!bit(hours, t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!bit(minutes, t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return text;
  }
}
