import assert from "node:assert/strict";
import {
  isValidAnswerName,
  punycodeDecode,
  punycodeEncode,
  toAsciiHostName,
  toUnicodeHostName,
} from "../../../lib/dns/host_name.ts";

Deno.test("punycodeEncode() and punycodeDecode() agree with Python's punycode codec on 2,000 random labels", async () => {
  const alphabet = [
    ..."abcxyz09-",
    ..."üöäßéèçñåøæ",
    ..."日本語中文한국어",
    ..."ελληνικάрусский",
    "😀",
  ];
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const labels = Array.from({ length: 2000 }, () =>
    Array.from(
      { length: 1 + Math.floor(random() * 12) },
      () => alphabet[Math.floor(random() * alphabet.length)],
    ).join(""));
  const python = await new Deno.Command("python3", {
    args: [
      "-c",
      "import sys,json\nfor l in json.load(sys.stdin): print(l.encode('punycode').decode())",
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = python.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(labels)));
  await writer.close();
  const expected = new TextDecoder().decode((await python.output()).stdout).trimEnd().split("\n");
  assert.equal(expected.length, labels.length);
  labels.forEach((label, i) => {
    assert.equal(punycodeEncode(label), expected[i], label);
    assert.equal(punycodeDecode(expected[i] ?? ""), label, expected[i]);
  });
});

Deno.test("toUnicodeHostName() shows xn-- labels in Unicode, and leaves bad Punycode alone", () => {
  // The basic letters' case kept, as libidn2 keeps it (getent ahosts; seed 1401096).
  assert.equal(toUnicodeHostName("www.XN--BCHER-KVA.test"), "www.BüCHER.test");
  assert.equal(toUnicodeHostName("www.xn--bcher-kva.test"), "www.bücher.test");
  assert.equal(toUnicodeHostName(toAsciiHostName("münchen.日本語.test")), "münchen.日本語.test");
  for (const bad of ["xn--zz~.test", "xn--99999999999.test", "plain.test"]) {
    assert.equal(toUnicodeHostName(bad), bad);
  }
});

Deno.test("toAsciiHostName() takes host names and gives their ASCII form", () => {
  const cases: [string, string][] = [
    ["example.test", "example.test"],
    ["Example.Test.", "Example.Test"],
    ["bücher.test", "xn--bcher-kva.test"],
    ["BÜCHER.test", "xn--bcher-kva.test"],
    ["日本.test", "xn--wgv71a.test"],
    ["_sip._tcp.test", "_sip._tcp.test"],
    ["a".repeat(63) + ".test", "a".repeat(63) + ".test"],
  ];
  for (const [input, ascii] of cases) assert.equal(toAsciiHostName(input), ascii, input);
});

Deno.test("toAsciiHostName() refuses what getent refuses, saying why", () => {
  const hostile = [
    "",
    ".",
    "both.test..",
    "..both.test",
    "both..test",
    "both.test#ü",
    "both.test/ü",
    "nobody@both.test/ü",
    "0x7f.1#ü",
    "-lead.test",
    "trail-.test",
    "sp ace.test",
    "tab\t.test",
    "nul\0.test",
    "a".repeat(64) + ".test",
    `${"a".repeat(60)}.`.repeat(5),
    "ü".repeat(60) + ".test",
  ];
  for (const name of hostile) {
    assert.throws(() => toAsciiHostName(name), SyntaxError, JSON.stringify(name));
  }
  assert.throws(() => toAsciiHostName("a..b"), /empty label/);
  assert.throws(() => toAsciiHostName("a".repeat(64)), /longer than 63 bytes/);
});

Deno.test("isValidAnswerName() applies glibc's res_hnok to names in answers", () => {
  for (const good of ["a.test", "mail-1.example.test.", "_dmarc.test", "x", ""]) {
    assert.equal(isValidAnswerName(good), true, good);
  }
  for (const bad of ["<script>x</scr.test", "bad\\032name!!.test", "-x.test", "a..b", "é.test"]) {
    assert.equal(isValidAnswerName(bad), false, bad);
  }
});
