package dev.flotilla.generators.gotemplate;

import dev.flotilla.generators.template.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/** Go's {@code fmt.Sprintf} for the verbs templates use: v s d f e g x X o b q t c %. */
final class GoFormat {

  private GoFormat() {}

  static String sprintf(String format, List<Object> args) {
    StringBuilder out = new StringBuilder();
    int argIndex = 0;
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      i++;
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      boolean minus = false;
      boolean plus = false;
      boolean zero = false;
      boolean space = false;
      boolean sharp = false;
      while (i < format.length() && "-+0 #".indexOf(format.charAt(i)) >= 0) {
        switch (format.charAt(i)) {
          case '-' -> minus = true;
          case '+' -> plus = true;
          case '0' -> zero = true;
          case ' ' -> space = true;
          default -> sharp = true;
        }
        i++;
      }
      int width = -1;
      int start = i;
      while (i < format.length() && Character.isDigit(format.charAt(i))) {
        i++;
      }
      if (i > start) {
        width = Integer.parseInt(format.substring(start, i));
      }
      int precision = -1;
      if (i < format.length() && format.charAt(i) == '.') {
        i++;
        start = i;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
          i++;
        }
        precision = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
      }
      if (i >= format.length()) {
        out.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i++);
      if (verb == '%') {
        out.append('%');
        continue;
      }
      if (argIndex >= args.size()) {
        out.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argIndex++);
      String formatted = one(verb, arg, precision, plus, space, sharp);
      out.append(
          pad(
              formatted,
              width,
              minus,
              zero && !minus && verb != 's' && verb != 'q' && verb != 'v'));
    }
    if (argIndex < args.size()) {
      out.append("%!(EXTRA ");
      for (int a = argIndex; a < args.size(); a++) {
        if (a > argIndex) {
          out.append(", ");
        }
        Object arg = args.get(a);
        out.append(GoValues.typeOf(arg)).append('=').append(Values.format(arg));
      }
      out.append(')');
    }
    return out.toString();
  }

  private static String one(
      char verb, Object arg, int precision, boolean plus, boolean space, boolean sharp) {
    switch (verb) {
      case 'v', 's' -> {
        String s = arg == null ? (verb == 's' ? "%!s(<nil>)" : "<nil>") : Values.format(arg);
        if (precision >= 0 && s.length() > precision) {
          s = s.substring(0, precision);
        }
        return s;
      }
      case 'q' -> {
        return GoValues.goQuote(arg instanceof String s ? s : Values.format(arg));
      }
      case 't' -> {
        return arg instanceof Boolean b ? b.toString() : bad(verb, arg);
      }
      case 'd' -> {
        if (!(arg instanceof Long || arg instanceof Integer)) {
          return bad(verb, arg);
        }
        long v = ((Number) arg).longValue();
        return (plus && v >= 0 ? "+" : space && v >= 0 ? " " : "") + v;
      }
      case 'c' -> {
        return arg instanceof Long l ? new String(Character.toChars(l.intValue())) : bad(verb, arg);
      }
      case 'x', 'X', 'o', 'b' -> {
        String s;
        if (arg instanceof Long l) {
          int radix = verb == 'o' ? 8 : verb == 'b' ? 2 : 16;
          s = Long.toString(l, radix);
          if (sharp && radix == 16) {
            s = "0x" + s;
          }
        } else if (arg instanceof String str && (verb == 'x' || verb == 'X')) {
          StringBuilder hex = new StringBuilder();
          for (byte b : str.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hex.append(String.format("%02x", b));
          }
          s = hex.toString();
        } else {
          return bad(verb, arg);
        }
        return verb == 'X' ? s.toUpperCase(Locale.ROOT) : s;
      }
      case 'f', 'F', 'e', 'E', 'g', 'G' -> {
        if (!(arg instanceof Double || arg instanceof Long)) {
          return bad(verb, arg);
        }
        double d = ((Number) arg).doubleValue();
        String s;
        if (verb == 'f' || verb == 'F') {
          s =
              new BigDecimal(d)
                  .setScale(precision < 0 ? 6 : precision, RoundingMode.HALF_EVEN)
                  .toPlainString();
        } else if (verb == 'e' || verb == 'E') {
          s = String.format(Locale.ROOT, "%." + (precision < 0 ? 6 : precision) + "e", d);
          s = verb == 'E' ? s.toUpperCase(Locale.ROOT) : s;
        } else {
          s =
              precision < 0
                  ? Values.formatFloat(d)
                  : String.format(Locale.ROOT, "%." + precision + "g", d);
        }
        return (plus && d >= 0 ? "+" : "") + s;
      }
      default -> {
        return "%!" + verb + "(" + GoValues.typeOf(arg) + "=" + Values.format(arg) + ")";
      }
    }
  }

  private static String bad(char verb, Object arg) {
    return "%!" + verb + "(" + GoValues.typeOf(arg) + "=" + Values.format(arg) + ")";
  }

  private static String pad(String s, int width, boolean left, boolean zeros) {
    if (width < 0 || s.length() >= width) {
      return s;
    }
    String fill = (zeros ? "0" : " ").repeat(width - s.length());
    if (left) {
      return s + fill;
    }
    if (zeros && (s.startsWith("-") || s.startsWith("+"))) {
      return s.charAt(0) + fill + s.substring(1);
    }
    return fill + s;
  }
}
