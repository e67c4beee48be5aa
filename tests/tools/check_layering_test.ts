import assert from "node:assert/strict";
import { checkLayering, readProjectSources } from "../../tools/check_layering.ts";
import { ROOT } from "../harness/run.ts";

Deno.test("checkLayering() finds no broken rule in netkit's own tree", async () => {
  const sources = await readProjectSources(ROOT);
  assert.ok(sources.size > 100, `only ${sources.size} files read`);
  const violations = checkLayering(sources);
  assert.deepEqual(violations.map((v) => `${v.file}:${v.line}: ${v.message}`), []);
});

/** Each broken rule, as a tiny tree, and the text its violation must contain. */
const BROKEN: [string, Record<string, string>, string][] = [
  [
    "an import cycle",
    {
      "lib/net/a.ts": 'import { b } from "./b.ts";\nexport const a = 1;\n',
      "lib/net/b.ts": 'import { a } from "./a.ts";\nexport const b = a;\n',
    },
    "import cycle: lib/net/a.ts -> lib/net/b.ts -> lib/net/a.ts",
  ],
  [
    "a cycle through a dynamic import",
    {
      "cmd/_x/main.ts": 'import { s } from "./spec.ts";\nawait import("./command.ts");\n',
      "cmd/_x/command.ts": 'import { main } from "./main.ts";\n',
      "cmd/_x/spec.ts": "export const s = 1;\n",
    },
    "import cycle",
  ],
  [
    "lib/ building a URL into cmd/",
    { "lib/words/x.ts": 'new URL("../../cmd/scrabble-word-finder.ts", import.meta.url);\n' },
    "lib/ must not reach into cmd/",
  ],
  [
    "lib/ importing tests/",
    { "lib/net/x.ts": 'import { ROOT } from "../../tests/harness/run.ts";\n' },
    "lib/ must not reach into tests/",
  ],
  [
    "a package importing a package above it",
    { "lib/net/x.ts": 'import { sendHttpRequest } from "../http/client.ts";\n' },
    "net must not import http",
  ],
  [
    "a package importing one of the same rank",
    { "lib/dns/x.ts": 'import { TELNET } from "../telnet/filter.ts";\n' },
    "dns must not import telnet",
  ],
  [
    "an import of another package's mod.ts",
    { "lib/http/x.ts": 'import { SocketStream } from "../net/mod.ts";\n' },
    "name the file, not the package's mod.ts",
  ],
  [
    "a private file used outside its folder",
    { "lib/http/x.ts": 'import { withReadDeadline } from "../net/_read_deadline.ts";\n' },
    "is private to its folder",
  ],
  [
    "a command body used by a tool",
    { "tools/x.ts": 'import { runWget } from "../cmd/_wget/command.ts";\n' },
    "is private to its folder",
  ],
  [
    "console.* in lib/",
    { "lib/dns/x.ts": 'export function f() {\n  console.error("no");\n}\n' },
    "console.error in lib/",
  ],
  [
    "Deno.exit in lib/",
    { "lib/download/x.ts": "Deno.exit(1);\n" },
    "Deno.exit in lib/",
  ],
  [
    "a package exporting lib/internal/",
    { "lib/net/mod.ts": 'export * from "../internal/deadline.ts";\n' },
    "must not export lib/internal/",
  ],
  [
    "a command importing another command",
    { "cmd/wget.ts": 'import { main } from "./telnet.ts";\n', "cmd/telnet.ts": "" },
    "a command must not import another command",
  ],
];

for (const [what, files, expected] of BROKEN) {
  Deno.test(`checkLayering() refuses ${what}`, () => {
    const violations = checkLayering(new Map(Object.entries(files)));
    const messages = violations.map((v) => `${v.file}:${v.line}: ${v.message}`);
    assert.ok(messages.some((m) => m.includes(expected)), `${expected} not in ${messages}`);
  });
}

Deno.test("checkLayering() allows what the rules allow", () => {
  const violations = checkLayering(
    new Map(Object.entries({
      // A package below, by file; the command-line kit prints; a comment may say anything.
      "lib/http/x.ts": 'import { SocketStream } from "../net/socket_stream.ts";\n',
      "lib/cli/y.ts": 'console.error("usage");\nDeno.exit(2);\n',
      "lib/dns/z.ts": '/**\n * console.log(1);\n * import { a } from "../../cmd/wget.ts";\n */\n',
      // A private file inside its folder, and from its mirrored test.
      "lib/net/a.ts": 'import { withReadDeadline } from "./_read_deadline.ts";\n',
      "tests/lib/net/_read_deadline_test.ts":
        'import { withReadDeadline } from "../../../lib/net/_read_deadline.ts";\n',
      // A command's own body, and the multi-call binary's table.
      "cmd/wget.ts": 'import { runWget } from "./_wget/command.ts";\n',
      "cmd/commands.ts": 'const load = () => import("./wget.ts");\n',
    })),
  );
  assert.deepEqual(violations, []);
});
