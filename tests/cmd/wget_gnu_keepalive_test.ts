/**
 * Keep-alive across host names, beside GNU wget 1.21: a kept-alive connection carries the next
 * URL when that URL's host is another name of the same server -- the same port and scheme, and
 * the connection's peer among the new name's addresses (`http://127.0.0.1:P/a` then
 * `http://localhost:P/b`) -- on the command line, through a redirect and under `-r -H`; never for
 * HTTPS under another name; and the log says "Reusing existing connection to NAME:PORT." with the
 * name the connection was opened for (`[NAME]:PORT` when its peer is IPv6), after a
 * "Resolving" line when the new name was not looked up before.
 *
 * nginx serves `/c/NAME` as `$connection_requests $host`, so the files saved show which request
 * of its connection each was; its `stub_status` counts the connections each tool opened.
 *
 * Two families behind one name need a hosts file: as root, those cases run in a mount namespace
 * (`unshare -m`) with the test's hosts file over `/etc/hosts`; ignored, with the reason, where
 * namespaces cannot be had.
 *
 * @module
 */

import { deepEqual, equal } from "node:assert/strict";
import { makeCertificate, type Nginx, startNginx } from "../harness/nginx.ts";
import { missingPeer, peerTest, tempDir } from "../harness/peers.ts";
import { type Case, type Outcome, runTool } from "../harness/wget_side_by_side.ts";
import { nginxAccepts } from "../harness/test_site.ts";
import { dualStackNamespaceUnavailable, etcNamespaceCommand } from "../harness/etc_namespace.ts";

const SERVER_CONFIG = `
location = /status { stub_status; }
location /c/ { default_type text/plain; return 200 "$connection_requests $host\\n"; }
location = /moved { return 301 http://localhost:$server_port/c/moved-here; }
location = /moved-far { return 302 http://127.0.0.2:$server_port/c/far; }
`;

/** Starts nginx (HTTP on 127.0.0.1 and ::1, HTTPS on 127.0.0.1) with the pages the cases use. */
async function startServer(dir: string): Promise<Nginx & { tlsCert: string }> {
  const tls = await makeCertificate(dir);
  const nginx = await startNginx(dir, { tls, serverConfig: SERVER_CONFIG });
  const port = nginx.port;
  // -r -H: a page on 127.0.0.1 linking to the same server as localhost, and back.
  await Deno.writeTextFile(
    `${nginx.root}/links.html`,
    `<html><body>
<a href="http://localhost:${port}/c/one">one</a>
<a href="http://127.0.0.1:${port}/c/two">two</a>
<a href="http://localhost:${port}/c/three">three</a>
</body></html>\n`,
  );
  for (const name of ["a", "b", "c"]) {
    await Deno.writeTextFile(`${nginx.root}/${name}.txt`, `${name}\n`);
  }
  return { ...nginx, tlsCert: tls.cert };
}

/** GNU's lines about reaching the server, and its errors about it. */
function connectLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) =>
    /^(Resolving |Connecting to |Reusing existing|failed: |wget: unable)/.test(line)
  );
}

/** What one tool did, with the connections nginx accepted for it. */
interface Run extends Outcome {
  connections: number;
}

/** Runs `job` with GNU wget, then netkit's, counting each one's connections. */
async function bothCounted(dir: string, port: number, job: Case): Promise<[Run, Run]> {
  const name = job.args.join(" ").replace(/[^\w.-]+/g, "_").slice(-60);
  const caseDir = await Deno.makeTempDir({ dir, prefix: `${name}_` });
  const runs: Run[] = [];
  for (const tool of ["gnu", "netkit"] as const) {
    const before = await nginxAccepts(port);
    const outcome = await runTool(tool, caseDir, undefined, job);
    // The count includes the query that reads it.
    runs.push({ ...outcome, connections: await nginxAccepts(port) - before - 1 });
  }
  return [runs[0]!, runs[1]!];
}

/** Same exit code, files, connection count and connection lines; the count as expected. */
function assertSameReuse([gnu, netkit]: [Run, Run], what: string, connections: number): void {
  const detail = `${what}\nGNU: ${gnu.stderr}\nnetkit: ${netkit.stderr}`;
  equal(netkit.code, gnu.code, `exit code: ${detail}`);
  deepEqual(netkit.files, gnu.files, `files: ${detail}`);
  deepEqual(connectLines(netkit.stderr), connectLines(gnu.stderr), `lines: ${detail}`);
  equal(gnu.connections, connections, `GNU's connections: ${detail}`);
  equal(netkit.connections, gnu.connections, `connections: ${detail}`);
}

peerTest(
  "wget reuses a connection for another name of the same server, as GNU wget (nginx)",
  ["wget", "nginx", "openssl"],
  async () => {
    await using dir = await tempDir();
    await using nginx = await startServer(dir.path);
    const p = nginx.port;
    const ip = `http://127.0.0.1:${p}`;
    const name = `http://localhost:${p}`;
    const cases: [string[], number][] = [
      // Two URLs differing only in the name: one connection, "Resolving localhost", "Reusing".
      [[`${ip}/c/a`, `${name}/c/b`], 1],
      // And the other way round: the literal needs no lookup.
      [[`${name}/c/a`, `${ip}/c/b`, `${name}/c/c`], 1],
      [["-4", `${ip}/c/a`, `${name}/c/b`], 1],
      // A redirect to the other name.
      [[`${ip}/moved`], 1],
      [[`${ip}/c/a`, `${ip}/moved`], 1],
      // -r -H: links to the other name (robots.txt asked for each host).
      [["-r", "-H", "-l", "1", "-nd", `${ip}/links.html`], 1],
      // Another address on the same port (nothing listens on 127.0.0.2): a connection of its
      // own, refused.
      [[`${ip}/c/a`, `http://127.0.0.2:${p}/c/b`], 1],
      [[`${ip}/moved-far`], 1],
      // Another port is another server.
      [[`${ip}/c/a`, `http://localhost:${nginx.tlsPort}/c/b`, `${ip}/c/c`], 2],
      // HTTPS: never shared under another name (the certificate is the name's).
      [[
        `--ca-certificate=${nginx.tlsCert}`,
        `https://127.0.0.1:${nginx.tlsPort}/a.txt`,
        `https://localhost:${nginx.tlsPort}/b.txt`,
      ], 2],
    ];
    for (const [args, connections] of cases) {
      const both = await bothCounted(dir.path, p, { args: ["-t", "1", ...args] });
      assertSameReuse(both, args.join(" "), connections);
    }
    // --max-threads (GNU Wget2's): the same files, however the requests share connections.
    const args = ["-r", "-H", "-l", "1", "-nd", `${ip}/links.html`];
    const [gnu] = await bothCounted(dir.path, p, { args });
    const threads = await Deno.makeTempDir({ dir: dir.path, prefix: "max-threads_" });
    const netkit = await runTool("netkit", threads, undefined, {
      args: ["--max-threads", "4", ...args],
    });
    equal(netkit.code, gnu.code, netkit.stderr);
    deepEqual(Object.keys(netkit.files), Object.keys(gnu.files), netkit.stderr);
    equal(netkit.files["links.html"], gnu.files["links.html"]);
  },
);

const HOSTS = [
  "127.0.0.1 localhost",
  "::1 localhost ip6-localhost",
  "127.0.0.1 near.test",
  "127.0.0.2 far.test",
  "",
].join("\n");

const MISSING = missingPeer(["wget", "nginx", "openssl"]);
const IGNORE = dualStackNamespaceUnavailable() ??
  (MISSING ? `"${MISSING}" is not installed` : undefined);

Deno.test({
  name:
    "wget reuses a connection for a name whose addresses hold its peer, both families, as GNU wget" +
    (IGNORE ? ` (ignored: ${IGNORE})` : ""),
  ignore: IGNORE !== undefined,
  fn: async () => {
    await using dir = await tempDir();
    await using nginx = await startServer(dir.path);
    const wrapper = await etcNamespaceCommand(dir.path, {
      hosts: HOSTS,
      "nsswitch.conf": "hosts: files\n",
    });
    const p = nginx.port;
    const at = (host: string, path: string) => `http://${host}:${p}/c/${path}`;
    const cases: [string[], number][] = [
      // localhost is ::1 then 127.0.0.1: a connection to either serves it.
      [[at("[::1]", "a"), at("localhost", "b"), at("127.0.0.1", "c"), at("localhost", "d")], 2],
      [[at("127.0.0.1", "a"), at("localhost", "b")], 1],
      // Opened for localhost, to ::1: GNU says "[localhost]:PORT".
      [[at("localhost", "a"), at("localhost", "b"), at("[::1]", "c")], 1],
      // ... and 127.0.0.1 is not ::1.
      [[at("localhost", "a"), at("127.0.0.1", "b")], 2],
      [[at("near.test", "a"), at("127.0.0.1", "b"), at("localhost", "c")], 1],
      // A name elsewhere: looked up, not shared, refused.
      [[at("127.0.0.1", "a"), at("far.test", "b"), at("127.0.0.1", "c")], 1],
      // A name that does not resolve: GNU's lookup failure, then the next URL reuses.
      [[at("127.0.0.1", "a"), at("nowhere.test", "b"), at("localhost", "c")], 1],
      [["-4", at("127.0.0.1", "a"), at("localhost", "b")], 1],
      [["-6", at("[::1]", "a"), at("localhost", "b")], 1],
      [["-4", at("127.0.0.1", "a"), at("[::1]", "b"), at("localhost", "c")], 1],
    ];
    for (const [args, connections] of cases) {
      const both = await bothCounted(dir.path, p, { args: ["-t", "1", ...args], wrapper });
      assertSameReuse(both, args.join(" "), connections);
    }
  },
});
