import assert from "node:assert/strict";
import { addressFamily, inetAton, inetNtop, inetPton } from "../../../lib/net/inet.ts";
import { peerTest } from "../../harness/peers.ts";
import { seededRandom } from "../../harness/seeded_random.ts";

/** Hand-picked inputs: the happy path, the hostile ones, and glibc's corner cases. */
const TABLE: string[] = [
  "0.0.0.0",
  "127.0.0.1",
  "255.255.255.255",
  "192.0.2.1",
  "1.2.3.1e2",
  " 1.2.3.4",
  "1.2.3.4 ",
  "1.2.3.4\n",
  "01.2.3.4",
  "1.02.3.4",
  "1.2.3.00",
  "0.0.0.00",
  "1.2.3",
  "1.2.3.4.5",
  "1.2.3.4.",
  ".1.2.3.4",
  "1..2.3",
  "256.1.1.1",
  "1.2.3.256",
  "1000.1.1.1",
  "0x7f.0.0.1",
  "127.1",
  "2130706433",
  "1.2.3.-4",
  "+1.2.3.4",
  "١.٢.٣.٤",
  "1.2.3.4/24",
  "",
  ".",
  ":",
  "::",
  ":::",
  "::1",
  "1::",
  "::ffff:1.2.3.4",
  "::FFFF:1.2.3.4",
  "::ffff:01.2.3.4",
  "::ffff:1.2.3",
  "::ffff:256.2.3.4",
  "::ffff:1.2.3.4.5",
  "::1.2.3.4",
  "1:2:3:4:5:6:1.2.3.4",
  "1:2:3:4:5:6:7:1.2.3.4",
  "1:2:3:4:5::1.2.3.4",
  "::1.2.3.4:5",
  "1.2.3.4::",
  "1::2::3",
  "1:2:3:4:5:6:7::",
  "::1:2:3:4:5:6:7",
  "1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8::",
  "::1:2:3:4:5:6:7:8",
  "1:2:3:4:5:6:7:8:9",
  "1:2:3:4:5:6:7",
  "1:2:3:4:5:6:7:",
  ":1:2:3:4:5:6:7",
  "1::2:",
  ":1::2",
  "12345::1",
  "0000:0000:0000:0000:0000:0000:0000:0001",
  "00000::1",
  "2001:DB8::1",
  "2001:db8:0:0:1:0:0:1",
  "2001:0db8:0000:0000:0000:ff00:0042:8329",
  "fe80::1%eth0",
  "[::1]",
  "::g",
  "1:2:3:4:5:6:7:8 ",
  " ::1",
  "::ffff:0:0",
  "::102:304",
  "1::1.2.3.4",
  "::ffff:1.2.3.4 ",
  "1.2.3.4".repeat(1000),
  "1:".repeat(50_000) + "1",
  "9".repeat(100_000),
  ":".repeat(1000),
];

interface OracleAnswer {
  v4: string | null;
  v6: string | null;
  /** inet_ntop of the v6 bytes, when there are any. */
  v6Text: string | null;
}

const ORACLE = `
import json, socket, sys
def pton(family, text):
    try:
        return socket.inet_pton(family, text)
    except (OSError, ValueError, UnicodeEncodeError):
        return None
out = []
for text in json.load(sys.stdin):
    v4 = pton(socket.AF_INET, text)
    v6 = pton(socket.AF_INET6, text)
    out.append({
        "v4": v4.hex() if v4 is not None else None,
        "v6": v6.hex() if v6 is not None else None,
        "v6Text": socket.inet_ntop(socket.AF_INET6, v6) if v6 is not None else None,
    })
json.dump(out, sys.stdout)
`;

const NTOP_ORACLE = `
import json, socket, sys
print(json.dumps([socket.inet_ntop(socket.AF_INET6 if len(h) == 32 else socket.AF_INET,
  bytes.fromhex(h)) for h in json.load(sys.stdin)]))
`;

async function python(script: string, input: unknown): Promise<unknown> {
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(input)));
  await writer.close();
  const output = await child.output();
  assert.ok(output.success, "python3 failed");
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function tryPton(text: string, family: 4 | 6): string | null {
  try {
    return hex(inetPton(text, family));
  } catch (error) {
    assert.ok(error instanceof SyntaxError, `${JSON.stringify(text)}: ${error}`);
    return null;
  }
}

peerTest(
  "inetPton() and inetNtop() agree with glibc (python3's socket module) on a table of hostile input",
  ["python3"],
  async () => {
    const answers = await python(ORACLE, TABLE) as OracleAnswer[];
    const mismatches: string[] = [];
    TABLE.forEach((text, i) => {
      const expected = answers[i];
      assert.ok(expected, `no oracle answer for ${text}`);
      const v4 = tryPton(text, 4);
      const v6 = tryPton(text, 6);
      const shown = JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text);
      if (v4 !== expected.v4) mismatches.push(`${shown} v4: ${v4} vs glibc ${expected.v4}`);
      if (v6 !== expected.v6) mismatches.push(`${shown} v6: ${v6} vs glibc ${expected.v6}`);
      if (v6 !== null && inetNtop(inetPton(text, 6)) !== expected.v6Text) {
        mismatches.push(`${shown} ntop: ${inetNtop(inetPton(text, 6))} vs ${expected.v6Text}`);
      }
    });
    assert.deepEqual(mismatches, []);
  },
);

peerTest(
  "inetNtop() writes 20,000 generated addresses exactly as glibc does",
  ["python3"],
  async () => {
    const next = seededRandom(4);
    const inputs: Uint8Array[] = [];
    for (let n = 0; n < 20_000; n++) {
      const bytes = new Uint8Array(n % 10 === 0 ? 4 : 16);
      // Mostly zero words, so that runs, ties and the IPv4 tails come up often.
      for (let i = 0; i < bytes.length; i += 2) {
        const r = next();
        const word = r < 0.55 ? 0 : r < 0.65 ? 0xffff : r < 0.7 ? 1 : Math.floor(next() * 65536);
        bytes[i] = word >> 8;
        bytes[i + 1] = word & 0xff;
      }
      inputs.push(bytes);
    }
    const expected = await python(NTOP_ORACLE, inputs.map(hex)) as string[];
    const actual = inputs.map(inetNtop);
    const wrong = inputs.flatMap((bytes, i) => {
      const text = actual[i];
      return text === expected[i] ? [] : [`${hex(bytes)}: ${text} vs ${expected[i]}`];
    });
    assert.deepEqual(wrong.slice(0, 10), []);
    // And every text reads back to the same bytes.
    for (const [i, text] of actual.entries()) assert.deepEqual(inetPton(text), inputs[i]);
  },
);

Deno.test("inetPton() reads the happy path", () => {
  assert.deepEqual(inetPton("192.0.2.1"), new Uint8Array([192, 0, 2, 1]));
  assert.deepEqual(
    inetPton("::ffff:1.2.3.4"),
    new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]),
  );
  assert.equal(inetPton("1:2:3:4:5:6:7::")[15], 0);
});

Deno.test("inetPton() picks the family from a colon unless told", () => {
  assert.equal(inetPton("::").length, 16);
  assert.throws(() => inetPton("::1", 4), SyntaxError);
  assert.throws(() => inetPton("1.2.3.4", 6), SyntaxError);
  assert.throws(() => inetPton("1.2.3.4", 5 as 4), RangeError);
  assert.throws(() => inetPton(42 as unknown as string), TypeError);
});

Deno.test("inetPton() quotes a bad value in its message, cut short when long", () => {
  assert.throws(() => inetPton("01.2.3.4"), { message: 'Invalid IPv4 address "01.2.3.4"' });
  assert.throws(
    () => inetPton("1".repeat(1_000_000)),
    (error: Error) => error instanceof SyntaxError && error.message.length < 100,
  );
  assert.throws(() => inetPton("1.2.3.4\n"), { message: 'Invalid IPv4 address "1.2.3.4\\x0a"' });
});

Deno.test("inetNtop() rejects a buffer of another length or kind", () => {
  for (const length of [0, 3, 5, 15, 17, 28]) {
    assert.throws(() => inetNtop(new Uint8Array(length)), RangeError);
  }
  assert.throws(() => inetNtop([1, 2, 3, 4] as unknown as Uint8Array), TypeError);
});

Deno.test("addressFamily() tells literals from names", () => {
  assert.equal(addressFamily("10.0.0.1"), 4);
  assert.equal(addressFamily("fe80::1"), 6);
  assert.equal(addressFamily("localhost"), undefined);
  assert.equal(addressFamily("10.0.0.1."), undefined);
});

Deno.test("inetAton() agrees with the C library's inet_aton on 3,000 forms (python3 as oracle)", async () => {
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
  const part = () => {
    const value = [random(256), random(70000), random(2 ** 31), 0][random(4)] ?? 0;
    return [
      String(value),
      `0${value.toString(8)}`,
      `0x${value.toString(16)}`,
      "0",
      "0x",
      "08",
      "1a",
    ][
      random(7)
    ] ?? "";
  };
  const inputs = Array.from(
    { length: 3000 },
    () => Array.from({ length: 1 + random(5) }, part).join("."),
  );
  const script = "import socket,sys,json\nfor s in json.load(sys.stdin):\n" +
    "  try: print(socket.inet_ntoa(socket.inet_aton(s)))\n  except OSError: print('-')";
  const child = new Deno.Command("python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  })
    .spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(inputs)));
  await writer.close();
  const expected = new TextDecoder().decode((await child.output()).stdout).trimEnd().split("\n");
  assert.equal(expected.length, inputs.length);
  inputs.forEach((input, i) => {
    const bytes = inetAton(input);
    assert.equal(bytes ? inetNtop(bytes) : "-", expected[i], input);
  });
});
