package dev.flotilla.generators.gotemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.generators.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoTemplateTest {

  /** {@code expected} is the output, or "ERROR: fragment" for an expected error. */
  record Case(String name, String template, String expected) {
    @Override
    public String toString() {
      return name + ": " + template;
    }
  }

  static Map<String, Object> data() {
    Map<String, Object> path = new LinkedHashMap<>();
    path.put("path", "apps/billing-api");
    path.put("basename", "billing-api");
    path.put("segments", List.of("apps", "billing-api"));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", "Prod_EU");
    data.put("path", path);
    data.put("replicas", 3.0);
    data.put("big", 1000000.0);
    data.put("ratio", 0.5);
    data.put("enabled", true);
    data.put("empty", "");
    data.put("nothing", null);
    data.put("list", List.of("b", "a", "c"));
    data.put("labels", Map.of("env", "prod", "tier", "web"));
    data.put("yaml", "a: 1\nb: [x, y]\n");
    return data;
  }

  static Stream<Case> cases() {
    return Stream.of(
        // actions, fields, variables
        new Case("text only", "plain text", "plain text"),
        new Case("field", "{{.name}}", "Prod_EU"),
        new Case("nested field", "{{.path.basename}}", "billing-api"),
        new Case("spaces", "{{ .path.path }}", "apps/billing-api"),
        new Case("missing key prints no value", "{{.nope}}", "<no value>"),
        new Case("missing chain prints no value", "{{.nope.deeper}}", "<no value>"),
        new Case("null prints no value", "{{.nothing}}", "<no value>"),
        new Case(
            "field of null fails",
            "{{.nothing.x}}",
            "ERROR: nil pointer evaluating interface {}.x"),
        new Case(
            "field of string fails", "{{.name.x}}", "ERROR: can't evaluate field x in type string"),
        new Case("float prints like Go", "{{.replicas}} {{.big}} {{.ratio}}", "3 1e+06 0.5"),
        new Case("bool", "{{.enabled}}", "true"),
        new Case("list prints like Go", "{{.list}}", "[b a c]"),
        new Case("map prints sorted", "{{.labels}}", "map[env:prod tier:web]"),
        new Case("dot", "{{with .path}}{{.basename}}{{end}}", "billing-api"),
        new Case("root variable", "{{with .path}}{{$.name}}{{end}}", "Prod_EU"),
        new Case("declare and use", "{{$x := .name}}{{$x}}", "Prod_EU"),
        new Case("assign", "{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}", "2"),
        new Case("undefined variable", "{{$y}}", "ERROR: undefined variable"),
        new Case("variable field", "{{$p := .path}}{{$p.basename}}", "billing-api"),
        new Case("parenthesised field", "{{(index .path.segments 1)}}", "billing-api"),
        new Case("comment", "a{{/* hidden */}}b", "ab"),
        new Case("trim both", "a  {{- .name -}}  b", "aProd_EUb"),
        new Case("trim newlines", "x\n  {{- if true }}\n  y\n{{- end }}", "x\n  y"),
        new Case("number literals", "{{print 1 2.5 0x10 -3}}", "1 2.5 16 -3"),
        new Case("string escapes", "{{\"a\\tb\"}}", "a\tb"),
        new Case("raw string", "{{`a\\tb`}}", "a\\tb"),
        new Case("char literal", "{{print 'a'}}", "97"),
        // control
        new Case("if true", "{{if .enabled}}yes{{end}}", "yes"),
        new Case("if else", "{{if .empty}}yes{{else}}no{{end}}", "no"),
        new Case(
            "else if",
            "{{if .empty}}a{{else if .nothing}}b{{else if .name}}c{{else}}d{{end}}",
            "c"),
        new Case("if missing", "{{if .nope}}a{{else}}b{{end}}", "b"),
        new Case("range list", "{{range .list}}[{{.}}]{{end}}", "[b][a][c]"),
        new Case("range index", "{{range $i, $v := .list}}{{$i}}={{$v}};{{end}}", "0=b;1=a;2=c;"),
        new Case(
            "range map sorted",
            "{{range $k, $v := .labels}}{{$k}}:{{$v}} {{end}}",
            "env:prod tier:web "),
        new Case("range else", "{{range .nope}}x{{else}}none{{end}}", "none"),
        new Case(
            "range break continue",
            "{{range .list}}{{if eq . \"a\"}}{{continue}}{{end}}{{if eq . \"c\"}}{{break}}{{end}}{{.}}{{end}}",
            "b"),
        new Case("range int", "{{range 3}}{{.}}{{end}}", "012"),
        new Case("with else", "{{with .nope}}x{{else}}y{{end}}", "y"),
        new Case(
            "define and template",
            "{{define \"t\"}}<{{.}}>{{end}}{{template \"t\" .name}}",
            "<Prod_EU>"),
        new Case("block", "{{block \"b\" .name}}[{{.}}]{{end}}", "[Prod_EU]"),
        new Case("unclosed if", "{{if .name}}x", "ERROR: missing {{end}}"),
        new Case("unknown function", "{{nosuch .name}}", "ERROR: function \"nosuch\" not defined"),
        new Case("env is not allowed", "{{env \"HOME\"}}", "ERROR: function \"env\" not defined"),
        new Case("expandenv is not allowed", "{{expandenv \"$HOME\"}}", "ERROR: not defined"),
        new Case("getHostByName is not allowed", "{{getHostByName \"x\"}}", "ERROR: not defined"),
        new Case(
            "argument to non-function",
            "{{.name 1}}",
            "ERROR: can't give argument to non-function"),
        // builtins
        new Case("pipeline", "{{.name | lower}}", "prod_eu"),
        new Case("pipeline chain", "{{.name | lower | replace \"_\" \"-\"}}", "prod-eu"),
        new Case("and or", "{{and .enabled .name}} {{or .empty .nope \"z\"}}", "Prod_EU z"),
        new Case("and short-circuits", "{{and .empty (fail \"boom\")}}", ""),
        new Case("not", "{{not .empty}}", "true"),
        new Case(
            "eq ne",
            "{{eq .name \"Prod_EU\"}} {{ne .name \"x\"}} {{eq .replicas 3}}",
            "true true true"),
        new Case("eq many", "{{eq \"b\" \"a\" \"b\"}}", "true"),
        new Case(
            "lt gt",
            "{{lt 1 2}} {{gt .replicas 5}} {{le \"a\" \"b\"}} {{ge 2 2}}",
            "true false true true"),
        new Case("len", "{{len .list}} {{len .name}} {{len .labels}}", "3 7 2"),
        new Case(
            "index",
            "{{index .list 1}} {{index .labels \"env\"}} {{index .path.segments 0}}",
            "a prod apps"),
        new Case("index out of range", "{{index .list 9}}", "ERROR: index out of range: 9"),
        new Case("slice", "{{slice .name 0 4}}", "Prod"),
        new Case(
            "printf",
            "{{printf \"%s-%d-%05.1f-%v-%q\" .name 7 3.14159 .enabled \"x\"}}",
            "Prod_EU-7-003.1-true-\"x\""),
        new Case("printf bad verb", "{{printf \"%d\" .name}}", "%!d(string=Prod_EU)"),
        new Case("print", "{{print .name 1 2 \"x\"}}", "Prod_EU1 2x"),
        // sprig strings
        new Case(
            "upper title", "{{upper .name}} {{title \"hello world-x\"}}", "PROD_EU Hello World-X"),
        new Case(
            "trim family",
            "{{trim \"  x \"}}|{{trimAll \"-\" \"--x--\"}}|{{trimPrefix \"apps/\" .path.path}}|{{trimSuffix \"-api\" .path.basename}}",
            "x|x|billing-api|billing"),
        new Case("trunc", "{{trunc 4 .name}} {{trunc -2 .name}}", "Prod EU"),
        new Case(
            "default",
            "{{default \"dflt\" .empty}} {{default \"dflt\" .nope}} {{.name | default \"d\"}}",
            "dflt dflt Prod_EU"),
        new Case("quote squote", "{{quote .name}} {{squote .name}}", "\"Prod_EU\" 'Prod_EU'"),
        new Case(
            "contains prefix suffix",
            "{{contains \"EU\" .name}} {{hasPrefix \"Prod\" .name}} {{hasSuffix \"x\" .name}}",
            "true true false"),
        new Case(
            "split splitList join",
            "{{(split \"/\" .path.path)._1}} {{splitList \"-\" .path.basename | join \"+\"}}",
            "billing-api billing+api"),
        new Case("join list", "{{join \",\" .list}}", "b,a,c"),
        new Case("sortAlpha", "{{sortAlpha .list | join \"\"}}", "abc"),
        new Case("indent nindent", "{{indent 2 \"a\\nb\"}}|{{nindent 2 \"a\"}}", "  a\n  b|\n  a"),
        new Case(
            "regex",
            "{{regexMatch \"^Prod\" .name}} {{regexReplaceAll \"(\\\\w+)_(\\\\w+)\" .name \"${2}-$1\"}} {{regexFind \"[A-Z]+\" \"abcDEFg\"}}",
            "true EU-Prod DEF"),
        new Case(
            "catastrophic regex is cut off",
            "{{regexMatch \"(.*a){12}$\" \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}}",
            "ERROR: pattern too expensive"),
        new Case("replace", "{{replace \"-\" \"_\" .path.basename}}", "billing_api"),
        new Case(
            "snake kebab camel",
            "{{snakecase \"HelloWorld\"}} {{kebabcase \"HelloWorld\"}} {{camelcase \"hello_world\"}}",
            "hello_world hello-world HelloWorld"),
        new Case(
            "upper of a number fails like Go",
            "{{upper .replicas}}",
            "ERROR: wrong type for value; expected string; got float64"),
        new Case(
            "toString atoi int",
            "{{toString .replicas}} {{atoi \"42\"}} {{int .replicas}}",
            "3 42 3"),
        // numbers
        new Case(
            "math",
            "{{add 1 2 3}} {{add .replicas 1}} {{sub 5 2}} {{mul 2 3}} {{div 7 2}} {{mod 7 2}} {{add1 1}}",
            "6 4 3 6 3 1 2"),
        new Case("max min", "{{max 1 5 3}} {{min 4 2 8}}", "5 2"),
        new Case("div by zero", "{{div 1 0}}", "ERROR: integer divide by zero"),
        new Case("floor ceil", "{{floor 1.5}} {{ceil 1.2}}", "1 2"),
        // collections
        new Case(
            "list dict", "{{list 1 \"a\" true}} {{(dict \"a\" 1 \"b\" \"x\").b}}", "[1 a true] x"),
        new Case(
            "get set hasKey",
            "{{get .labels \"env\"}}|{{get .labels \"nope\"}}|{{hasKey .labels \"tier\"}}|{{$d := dict \"a\" \"1\"}}{{$_ := set $d \"b\" \"2\"}}{{$d.b}}",
            "prod||true|2"),
        new Case("keys sorted", "{{keys .labels | join \",\"}}", "env,tier"),
        new Case("first last rest", "{{first .list}} {{last .list}} {{rest .list}}", "b c [a c]"),
        new Case(
            "append has uniq",
            "{{append .list \"d\"}} {{has \"a\" .list}} {{uniq (list 1 1 2)}}",
            "[b a c d] true [1 2]"),
        new Case(
            "empty coalesce ternary",
            "{{empty .empty}} {{coalesce .empty .nope \"c\"}} {{ternary \"y\" \"n\" .enabled}}",
            "true c y"),
        new Case("until", "{{until 3}}", "[0 1 2]"),
        new Case(
            "dig",
            "{{dig \"path\" \"basename\" \"none\" .}} {{dig \"x\" \"y\" \"none\" .}}",
            "billing-api none"),
        new Case(
            "merge",
            "{{$m := merge (dict \"a\" \"1\") (dict \"a\" \"2\" \"b\" \"3\")}}{{$m.a}}{{$m.b}}",
            "13"),
        new Case(
            "kindOf typeOf",
            "{{kindOf .name}} {{kindOf .replicas}} {{typeOf .list}} {{kindIs \"map\" .labels}}",
            "string float64 []interface {} true"),
        // encodings
        new Case("b64", "{{b64enc \"hello\"}} {{b64dec \"aGVsbG8=\"}}", "aGVsbG8= hello"),
        new Case(
            "sha256sum",
            "{{sha256sum \"abc\"}}",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        new Case("sha1sum", "{{sha1sum \"abc\"}}", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        new Case(
            "toJson",
            "{{toJson .labels}} {{toJson .list}} {{toJson .replicas}}",
            "{\"env\":\"prod\",\"tier\":\"web\"} [\"b\",\"a\",\"c\"] 3"),
        new Case(
            "toJson escapes HTML like Go", "{{toJson \"<a&b>\"}}", "\"\\u003ca\\u0026b\\u003e\""),
        new Case("toRawJson does not", "{{toRawJson \"<a>\"}}", "\"<a>\""),
        new Case(
            "toJson floats like Go",
            "{{toJson (list .ratio .big 1e21 0.0000001)}}",
            "[0.5,1000000,1e+21,1e-7]"),
        new Case(
            "toPrettyJson",
            "{{toPrettyJson (dict \"b\" (list 1 2) \"a\" (dict))}}",
            "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2\n  ]\n}"),
        new Case("tpl", "{{tpl \"{{ .name }}-{{ .nope }}\" .}}", "Prod_EU-"),
        new Case(
            "tpl recursion is bounded",
            "{{define \"x\"}}{{end}}{{tpl \"{{ tpl .t . }}\" (dict \"t\" \"{{ tpl .t . }}\")}}",
            "ERROR: tpl nested more than 10 levels"),
        new Case("toYaml", "{{toYaml .labels}}", "env: prod\ntier: web"),
        new Case("fromYaml", "{{(fromYaml .yaml).a}} {{index (fromYaml .yaml).b 1}}", "1 y"),
        new Case("fromYamlArray", "{{len (fromYamlArray \"- a\\n- b\")}}", "2"),
        // Argo additions
        new Case("normalize", "{{normalize .name}} {{normalize \"--A.b_c--\"}}", "prod-eu a.b-c"),
        new Case("slugify", "{{slugify \"Hello World.Now\"}}", "hello-world-now"),
        new Case(
            "slugify smart truncate", "{{slugify 12 true \"hello world again\"}}", "hello-world"),
        new Case("slugify hard truncate", "{{slugify 8 false \"hello world again\"}}", "hello-wo"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void renders(Case c) throws Exception {
    GoTemplateEngine engine = new GoTemplateEngine(List.of());
    if (c.expected().startsWith("ERROR: ")) {
      assertThatThrownBy(() -> engine.compile(c.template()).render(data()))
          .isInstanceOf(TemplateException.class)
          .hasMessageContaining(c.expected().substring("ERROR: ".length()));
    } else {
      assertThat(engine.compile(c.template()).render(data())).isEqualTo(c.expected());
    }
  }

  static Stream<Case> missingKeyCases() {
    return Stream.of(
        new Case(
            "missingkey=error fails on a missing key",
            "{{.nope}}",
            "ERROR: map has no entry for key \"nope\""),
        new Case(
            "missingkey=error fails on a missing nested key",
            "{{.path.nope}}",
            "ERROR: map has no entry for key \"nope\""),
        new Case("missingkey=error keeps present keys", "{{.path.basename}}", "billing-api"),
        new Case(
            "missingkey=error allows default on index",
            "{{index .labels \"x\" | default \"d\"}}",
            "d"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("missingKeyCases")
  void missingKeyError(Case c) throws Exception {
    GoTemplateEngine engine = new GoTemplateEngine(List.of("missingkey=error"));
    if (c.expected().startsWith("ERROR: ")) {
      assertThatThrownBy(() -> engine.compile(c.template()).render(data()))
          .hasMessageContaining(c.expected().substring("ERROR: ".length()));
    } else {
      assertThat(engine.compile(c.template()).render(data())).isEqualTo(c.expected());
    }
  }
}
