import { deepEqual as assertEquals } from "node:assert/strict";
import { parseArgs as nodeParseArgs, type ParseArgsOptionsConfig } from "node:util";
import { parseArgs } from "../../../lib/cli/_parse_args.ts";

/** What a parser gave: its result as plain data, or its error's message. */
function outcome(parse: () => { values: object; positionals: string[] }): unknown {
  try {
    const { values, positionals } = parse();
    return { values: { ...values }, positionals };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function assertSameAsNode(options: ParseArgsOptionsConfig, argv: string[]): void {
  const ours = outcome(() => parseArgs(argv, options));
  const node = outcome(() =>
    nodeParseArgs({ args: argv, options, allowPositionals: true, strict: true })
  );
  assertEquals(ours, node, JSON.stringify(argv));
}

// Options shaped like wget's, time-server's and lexical-server's.
const WGET: ParseArgsOptionsConfig = {
  "output-document": { type: "string", short: "O" },
  quiet: { type: "boolean", short: "q" },
  "server-response": { type: "boolean", short: "S" },
  tries: { type: "string", short: "t", default: "20" },
  continue: { type: "boolean", short: "c" },
  header: { type: "string", multiple: true },
  "no-clobber": { type: "boolean" },
  verbose: { type: "boolean", short: "v", multiple: true },
};

const CASES: string[][] = [
  [],
  ["http://x/"],
  ["-q", "http://x/"],
  ["-O", "-", "http://x/"],
  ["-O-", "http://x/"],
  ["-Ofile", "u"],
  ["-qO", "file", "u"],
  ["-qOfile", "u"],
  ["-qSc", "u"],
  ["-qz", "u"],
  ["-zq", "u"],
  ["-O"],
  ["-O", "-q"],
  ["-O", "--", "u"],
  ["--output-document", "f", "u"],
  ["--output-document=f", "u"],
  ["--output-document=", "u"],
  ["--output-document=-q", "u"],
  ["--output-document"],
  ["--output-document", "--quiet"],
  ["--quiet=yes"],
  ["-q=yes"],
  ["--bogus"],
  ["--bogus=1"],
  ["-z"],
  ["-"],
  ["--", "--quiet", "-O"],
  ["u", "--quiet"],
  ["--header", "A: 1", "--header=B: 2", "u"],
  ["--header"],
  ["-v", "-vv", "u"],
  ["-t", "3", "-t", "5"],
  ["--no-clobber", "u"],
  ["--no-quiet"],
  ["---quiet"],
  ["--__proto__"],
  ["--constructor"],
  ["-5"],
  ["-t", "-5"],
  ["-t-5"],
  ["--tries=-5"],
  ["--=x"],
  ["--="],
  ["--a=b=c"],
  ["--output-document=a=b", "u"],
  ["-=", "x"],
  ["-Ü"],
];

Deno.test("parseArgs() gives node:util's result or error message for wget-like options", () => {
  for (const argv of CASES) assertSameAsNode(WGET, argv);
});

Deno.test("parseArgs() gives node:util's result with no options and with a port option", () => {
  const PORT: ParseArgsOptionsConfig = {
    port: { type: "string", short: "p", default: "13" },
    quiet: { type: "boolean" },
  };
  for (const argv of [...CASES, ["-p", "0"], ["-p0"], ["--port", "x", "--quiet"]]) {
    assertSameAsNode({}, argv);
    assertSameAsNode(PORT, argv);
  }
});
