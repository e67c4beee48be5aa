import assert from "node:assert/strict";
import {
  EXIT_USAGE,
  parseCommandLine,
  parseCount,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../../../lib/cli/command_line.ts";

const spec = {
  name: "demo",
  usage: "Usage: demo [--port N] NAME",
  options: { port: { type: "string" as const }, quiet: { type: "boolean" as const, short: "q" } },
  minPositionals: 1,
  maxPositionals: 1,
};

/** Runs `fn` with console.log/error captured. */
function capture(fn: () => unknown): { result: unknown; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...args: unknown[]) => void out.push(args.join(" "));
  console.error = (...args: unknown[]) => void err.push(args.join(" "));
  try {
    return { result: fn(), out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

Deno.test("parseCommandLine() returns options and positionals", () => {
  const parsed = parseCommandLine(["-q", "--port", "7", "host"], spec);
  assert.deepEqual(parsed, { values: { quiet: true, port: "7" }, positionals: ["host"] });
});

Deno.test("parseCommandLine() of operands only applies the defaults and counts the operands", () => {
  const withDefaults = {
    ...spec,
    options: { ...spec.options, tries: { type: "string" as const, default: "3" } },
  };
  assert.deepEqual(parseCommandLine(["host"], withDefaults), {
    values: { tries: "3" },
    positionals: ["host"],
  });
  // "-" alone is an operand; the operand count is checked as with options.
  assert.deepEqual(parseCommandLine(["-"], spec), { values: {}, positionals: ["-"] });
  const { result, err } = capture(() => parseCommandLine(["a", "b"], spec));
  assert.equal(result, EXIT_USAGE);
  assert.equal(err[0], 'demo: unexpected argument "b"');
});

Deno.test("parseCommandLine() answers --help and -h on stdout with 0", () => {
  for (const flag of ["--help", "-h"]) {
    const { result, out, err } = capture(() => parseCommandLine(["x", flag], spec));
    assert.equal(result, 0);
    assert.deepEqual(out, [spec.usage]);
    assert.deepEqual(err, []);
  }
});

Deno.test("parseCommandLine() answers --version with the netkit version", () => {
  const { result, out } = capture(() => parseCommandLine(["--version"], spec));
  assert.equal(result, 0);
  assert.match(out[0] ?? "", /^demo \(netkit\) \d+\.\d+\.\d+$/);
});

Deno.test("parseCommandLine() reports usage errors in one line, then the usage, exit 2", () => {
  const cases: [string[], RegExp][] = [
    [["--bogus", "x"], /^demo: Unknown option '--bogus'$/],
    [[], /^demo: missing argument$/],
    [["a", "b"], /^demo: unexpected argument "b"$/],
    [["--port"], /^demo: Option '--port <value>' argument missing$/],
  ];
  for (const [args, first] of cases) {
    const { result, out, err } = capture(() => parseCommandLine(args, spec));
    assert.equal(result, EXIT_USAGE, args.join(" "));
    assert.deepEqual(out, []);
    assert.match(err[0] ?? "", first);
    assert.equal(err[1], spec.usage);
  }
});

Deno.test("parseCommandLine() does not treat --help after -- as a flag", () => {
  const parsed = parseCommandLine(["--", "--help"], spec);
  assert.deepEqual(parsed, { values: {}, positionals: ["--help"] });
});

Deno.test("reportUsageError() prints NAME: message and returns 2", () => {
  const { result, err } = capture(() => reportUsageError(spec, new UsageError("bad rack")));
  assert.equal(result, 2);
  assert.equal(err[0], "demo: bad rack");
});

Deno.test("parseSeconds() and parseCount() accept numbers and reject the rest", () => {
  assert.equal(parseSeconds("10", "--timeout"), 10_000);
  assert.equal(parseSeconds("0.25", "--timeout"), 250);
  for (const bad of ["", "-1", "1e3", "abc", " 1", "1."]) {
    assert.throws(() => parseSeconds(bad, "--timeout"), UsageError, bad);
  }
  assert.equal(parseCount("16", "--workers", 1, 64), 16);
  for (const bad of ["0", "65", "1.5", "x", ""]) {
    assert.throws(() => parseCount(bad, "--workers", 1, 64), UsageError, bad);
  }
});
