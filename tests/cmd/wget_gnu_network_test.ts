/**
 * How netkit's wget reaches a server, beside GNU wget 1.21: names resolved by wget itself, every
 * address tried in turn with GNU's "Resolving NAME (NAME)... ADDR, ADDR" and "Connecting to NAME
 * (NAME)|ADDR|:PORT... connected." / "failed: Connection refused." lines, `-4`, `-6`,
 * `--prefer-family`, and the timeouts each applied to its own phase.
 *
 * A name with both families needs a hosts file: as root, both tools run in a mount namespace
 * (`unshare -m`) where the test's hosts file and nsswitch.conf are bind-mounted over `/etc`, and
 * the servers listen on 127.0.0.1 only or on ::1 only. Ignored, with the reason, where namespaces
 * cannot be had.
 */

import assert, { deepEqual, equal } from "node:assert/strict";
import { missingPeer, peerTest, tempDir } from "../harness/peers.ts";
import { type RecordingServer, startRecordingServer } from "../harness/recording_http_server.ts";
import { type Outcome, sideBySide } from "../harness/wget_side_by_side.ts";
import { listenTlsOnLoopback, makeCertificate } from "../harness/nginx.ts";
import { dualStackNamespaceUnavailable, etcNamespaceCommand } from "../harness/etc_namespace.ts";

const IGNORE = dualStackNamespaceUnavailable();

/** A test that runs its tools in a mount namespace: ignored, with the reason, where it cannot. */
function namespaceTest(name: string, peers: string[], fn: () => Promise<void>): void {
  const missing = missingPeer(peers);
  const reason = IGNORE ?? (missing ? `"${missing}" is not installed` : undefined);
  Deno.test({
    name: reason ? `${name} (ignored: ${reason})` : name,
    ignore: reason !== undefined,
    fn,
  });
}

const HOSTS = [
  "127.0.0.1 localhost",
  "::1 localhost ip6-localhost",
  "127.0.0.1 dual.test",
  "::1 dual.test",
  "127.0.0.1 multi.test",
  "127.0.0.2 multi.test",
  "127.0.0.3 multi.test",
  "127.0.0.4 multi.test",
  "",
].join("\n");

/** The argv prefix that runs a command with the test's hosts file and nsswitch.conf over /etc. */
function namespace(dir: string): Promise<string[]> {
  return etcNamespaceCommand(dir, { hosts: HOSTS, "nsswitch.conf": "hosts: files\n" });
}

/** GNU's lines about reaching the server, and its errors about it. */
function connectLines(stderr: string): string[] {
  return stderr.split("\n").filter((line) =>
    /^(Resolving |Connecting to |Reusing existing|failed: |wget: unable|Cannot specify)/.test(line)
  );
}

function assertSameConnecting(both: { gnu: Outcome; netkit: Outcome }, what: string): void {
  const detail = `${what}\nGNU: ${both.gnu.stderr}\nnetkit: ${both.netkit.stderr}`;
  equal(both.netkit.code, both.gnu.code, `exit code: ${detail}`);
  deepEqual(both.netkit.files, both.gnu.files, `files: ${detail}`);
  deepEqual(connectLines(both.netkit.stderr), connectLines(both.gnu.stderr), detail);
}

function startServer(hostname: string): RecordingServer {
  return startRecordingServer({ hostname, handle: (request) => ({ body: `${request.target}\n` }) });
}

namespaceTest(
  "wget resolves a name with both families and tries ::1, then 127.0.0.1, as GNU wget",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const wrapper = await namespace(dir.path);
    await using four = startServer("127.0.0.1");
    await using six = startServer("::1");
    const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const closedPort = closed.addr.port;
    closed.close();
    const on4 = `http://dual.test:${four.port}/four`;
    const on6 = `http://dual.test:${six.port}/six`;
    const cases: [string[], number][] = [
      // Both families, ::1 first (RFC 6724): refused on the IPv4-only server, then 127.0.0.1.
      [[on4], 1],
      [[on6], 1],
      [["-6", on4], 0],
      [["-6", on6], 1],
      [["--prefer-family=IPv4", on6], 1],
      [["--prefer-family=ipv6", on4], 1],
      [["--prefer-family=none", on4], 1],
      // Two URLs on one server: the name is looked up once, the connection kept.
      [[on4, on4], 2],
      // Once per run, whichever server: the second is a new connection, without "Resolving".
      [[on6, on4], 2],
      // At most three addresses shown, then "...".
      [[`http://multi.test:${four.port}/multi`], 1],
      // Literal addresses: no lookup, "Connecting to ADDR:PORT".
      [[`http://127.0.0.1:${four.port}/literal`], 1],
      [[`http://[::1]:${six.port}/literal6`], 1],
      [["-4", `http://[::1]:${six.port}/wrong-family`], 0],
      [[`http://127.0.0.1:${closedPort}/refused`], 0],
      [["-nv", `http://127.0.0.1:${closedPort}/refused`], 0],
      [["-q", `http://dual.test:${closedPort}/refused`], 0],
      [["-nv", `http://dual.test:${closedPort}/refused`], 0],
      [[`http://nowhere.test:${four.port}/`], 0],
      [["-nv", `http://nowhere.test:${four.port}/`], 0],
      [["-q", `http://nowhere.test:${four.port}/`], 0],
      [["-4", "-6", on4], 0],
    ];
    for (const [args, requests] of cases) {
      const before = four.requests.length + six.requests.length;
      const both = await sideBySide(dir.path, undefined, {
        args: ["-O", "out", ...args],
        wrapper,
      });
      assertSameConnecting(both, args.join(" "));
      const seen = four.requests.length + six.requests.length - before;
      equal(seen, requests * 2, `requests: ${args.join(" ")}`);
    }
  },
);

namespaceTest(
  "wget -4 connects to IPv4 only where GNU wget does (its resolver maps ::1 to 127.0.0.1)",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const wrapper = await namespace(dir.path);
    await using six = startServer("::1");
    await using four = startServer("127.0.0.1");
    const both = await sideBySide(dir.path, undefined, {
      args: ["-O", "out", "-4", `http://dual.test:${six.port}/six`],
      wrapper,
    });
    const onFour = await sideBySide(dir.path, undefined, {
      args: ["-O", "out", "-4", `http://dual.test:${four.port}/four`],
      wrapper,
    });
    equal(onFour.netkit.code, 0, onFour.netkit.stderr);
    equal(onFour.gnu.code, 0, onFour.gnu.stderr);
    deepEqual(onFour.netkit.files, onFour.gnu.files);
    deepEqual(
      connectLines(onFour.netkit.stderr).filter((line) => line.startsWith("Connecting")),
      connectLines(onFour.gnu.stderr).filter((line) => line.startsWith("Connecting")),
    );
    // glibc answers an IPv4 lookup of a hosts-file ::1 with 127.0.0.1 (so GNU lists 127.0.0.1
    // twice); netkit's resolver lists it once. Either way, no IPv6 connection and exit 4.
    equal(both.netkit.code, 4);
    equal(both.gnu.code, 4);
    deepEqual(six.requests, []);
    const tried = (outcome: Outcome) => [
      ...new Set(connectLines(outcome.stderr).filter((line) => line.startsWith("Connecting"))),
    ];
    deepEqual(tried(both.netkit), tried(both.gnu));
    assert(tried(both.netkit)[0]?.includes("|127.0.0.1|"), both.netkit.stderr);
  },
);

peerTest(
  "wget --connect-timeout and --read-timeout each bound their own phase, as GNU wget's",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    // A listener that accepts and never answers: the read timeout ends it, not the connect one.
    using silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const held: Deno.Conn[] = [];
    const accepting = (async () => {
      for await (const conn of silent) held.push(conn);
    })();
    try {
      const url = `http://127.0.0.1:${silent.addr.port}/`;
      // Before, the largest of the three stood for all: this waited 600 s.
      const both = await sideBySide(dir.path, undefined, {
        args: ["-t", "1", "-O", "out", "--connect-timeout=600", "--read-timeout=0.5", url],
      });
      equal(both.gnu.code, 4, both.gnu.stderr);
      equal(both.netkit.code, 4, both.netkit.stderr);
      deepEqual(both.netkit.files, both.gnu.files);
      assert(/timed out/i.test(both.netkit.stderr), both.netkit.stderr);
      // -T 0.5 sets the read timeout too; a longer --connect-timeout does not undo it.
      const all = await sideBySide(dir.path, undefined, {
        args: ["-t", "1", "-O", "out", "-T", "0.5", "--connect-timeout=1h", url],
      });
      equal(all.netkit.code, all.gnu.code, all.netkit.stderr);
    } finally {
      silent.close();
      await accepting.catch(() => {});
      for (const conn of held) conn.close();
    }
  },
);

/** A Python listener with a backlog of 0, its queue filled: a connect to it waits for ever. */
const FULL_BACKLOG = `
import socket, sys
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(0)
fillers = []
for _ in range(4):
    filler = socket.socket()
    filler.setblocking(False)
    try:
        filler.connect(server.getsockname())
    except BlockingIOError:
        pass
    fillers.append(filler)
print(server.getsockname()[1], flush=True)
sys.stdin.read()
`;

peerTest(
  "wget --connect-timeout ends a connect that hangs, whatever --read-timeout says, as GNU wget",
  ["wget", "python3"],
  async () => {
    await using dir = await tempDir();
    const child = new Deno.Command("python3", {
      args: ["-c", FULL_BACKLOG],
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const stdin = child.stdin.getWriter();
    try {
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      reader.releaseLock();
      const port = Number(new TextDecoder().decode(value).trim());
      const url = `http://127.0.0.1:${port}/`;
      for (
        const args of [
          ["--connect-timeout=0.5", "--read-timeout=600"],
          ["-T", "0.5", "--read-timeout=1h"],
          ["--connect-timeout=0.5", "-t", "2", "--waitretry=0"],
        ]
      ) {
        const both = await sideBySide(dir.path, undefined, {
          args: ["-t", "1", "-O", "out", ...args, url],
        });
        const what = args.join(" ");
        equal(both.netkit.code, 4, `${what}\n${both.netkit.stderr}`);
        equal(both.gnu.code, 4, `${what}\n${both.gnu.stderr}`);
        const dated = (text: string) => text.replace(/^--[\d: -]+--/gm, "--DATE--");
        equal(dated(both.netkit.stderr), dated(both.gnu.stderr), what);
      }
    } finally {
      await stdin.close();
      await child.stdout.cancel().catch(() => {});
      await child.status;
    }
  },
);

namespaceTest(
  "wget resolves and tries each address for https:// too, as GNU wget",
  ["wget", "openssl"],
  async () => {
    await using dir = await tempDir();
    const wrapper = await namespace(dir.path);
    const files = await makeCertificate(dir.path, "DNS:dual.test", "dual-", { ca: true });
    const listener = await listenTlsOnLoopback(files);
    const serving = (async () => {
      for await (const conn of listener) {
        try {
          await conn.handshake();
          await conn.read(new Uint8Array(4096));
          await conn.write(
            new TextEncoder().encode(
              "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
            ),
          );
        } catch {
          // The client went away.
        } finally {
          conn.close();
        }
      }
    })().catch(() => {});
    try {
      const url = `https://dual.test:${listener.addr.port}/tls`;
      for (const args of [["--no-check-certificate"], [`--ca-certificate=${files.cert}`], ["-6"]]) {
        const both = await sideBySide(dir.path, undefined, {
          args: ["-t", "1", "-O", "out", ...args, url],
          wrapper,
        });
        assertSameConnecting(both, args.join(" "));
      }
    } finally {
      listener.close();
      await serving;
    }
  },
);
