/**
 * `resolve-hostname` beside glibc's getent when a truncated UDP answer comes late and sends the
 * question over TCP, where the answer takes most of resolv.conf's `timeout:` again. glibc 2.36's
 * send_vc connects, writes and reads without a time limit of its own (the timeout is send_dg's,
 * UDP's), so getent waits for the answer; netkit gave TCP only what the UDP try had left of the
 * timeout, and failed where getent answered (random seed 1300231 of the misbehaving servers' test,
 * `timeout:1` on a loaded machine, where starting the TCP exchange alone took what was left). Now
 * TCP has the whole timeout of its own (not glibc's no limit: cmd/README.md). As root, in a mount
 * namespace with the test's resolv.conf, hosts and nsswitch.conf over `/etc`, against a server of
 * the test's own on port 53 of a loopback address (resolv.conf cannot name a port). Ignored, with
 * the reason, where namespaces or getent cannot be had.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_TYPE } from "../../lib/dns/message.ts";
import { encodeDnsMessage } from "../../lib/dns/encode_message.ts";
import { listenDnsPort } from "../harness/dns_peers.ts";
import { loopbackAddress } from "../harness/loopback_address.ts";
import { tempDir } from "../harness/peers.ts";
import {
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]);
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

const SERVER = loopbackAddress();
/** How long the server waits before its truncated UDP answer, and before its TCP one. */
const UDP_DELAY_MS = 600;
const TCP_DELAY_MS = 700;

/** The server's answer to `query` (the whole answer, or truncated: the question alone, TC set). */
function answer(query: Uint8Array, truncated: boolean): Uint8Array {
  const message = decodeDnsMessage(query);
  const question = message.questions[0]!;
  const name = question.name.toLowerCase().replace(/\.$/, "");
  const known = (name === "slow.test" && question.type === DNS_TYPE.A) ||
    (name === "7.0.0.10.in-addr.arpa" && question.type === DNS_TYPE.PTR);
  return encodeDnsMessage({
    id: message.id,
    response: true,
    truncated,
    recursionDesired: message.recursionDesired,
    recursionAvailable: true,
    rcode: name === "slow.test" || name === "7.0.0.10.in-addr.arpa" ? 0 : 3,
    questions: message.questions,
    answers: truncated || !known ? [] : [
      question.type === DNS_TYPE.A
        ? { name: question.name, type: DNS_TYPE.A, ttl: 60, data: "10.0.0.7" }
        : { name: question.name, type: DNS_TYPE.PTR, ttl: 60, data: "slow.test" },
    ],
  });
}

/**
 * Truncates every UDP answer, after {@linkcode UDP_DELAY_MS}; answers over TCP after
 * {@linkcode TCP_DELAY_MS}: together past `timeout:1`, each within it.
 */
function startSlowTcpServer(): AsyncDisposable {
  const [udp, tcp] = listenDnsPort(SERVER, 53);
  const conns = new Set<Deno.TcpConn>();
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        setTimeout(() => udp.send(answer(wire, true), from).catch(() => {}), UDP_DELAY_MS);
      }
    } catch {
      // Closed.
    }
  })();
  const talks: Promise<void>[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of tcp) {
        conns.add(conn);
        talks.push((async () => {
          try {
            // Each message: two bytes of length, then the message (glibc may send two).
            let buffered = new Uint8Array(0);
            const chunk = new Uint8Array(4096);
            while (true) {
              const n = await conn.read(chunk);
              if (n === null) break;
              buffered = new Uint8Array([...buffered, ...chunk.subarray(0, n)]);
              while (buffered.length >= 2) {
                const length = (buffered[0]! << 8) | buffered[1]!;
                if (buffered.length < 2 + length) break;
                const query = buffered.slice(2, 2 + length);
                buffered = buffered.slice(2 + length);
                await new Promise((resolve) => setTimeout(resolve, TCP_DELAY_MS));
                const reply = answer(query, false);
                await conn.write(
                  new Uint8Array([reply.length >> 8, reply.length & 0xff, ...reply]),
                );
              }
            }
          } catch {
            // The client went away.
          } finally {
            conns.delete(conn);
            try {
              conn.close();
            } catch {
              // Closed already.
            }
          }
        })());
      }
    } catch {
      // Closed.
    }
  })();
  return {
    async [Symbol.asyncDispose]() {
      udp.close();
      tcp.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch {
          // Closed already.
        }
      }
      await Promise.all([serving, accepting]);
      await Promise.all(talks);
    },
  };
}

Deno.test({
  name:
    `resolve-hostname gives TCP the whole timeout again after a late truncated answer, as getent waits for it${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using _server = startSlowTcpServer();
    await using dir = await tempDir();
    const files = {
      "resolv.conf": `nameserver ${SERVER}\noptions timeout:1 attempts:1\n`,
      hosts: "127.0.0.1 localhost\n",
      "nsswitch.conf": "passwd: files\nhosts: files dns\n",
    };
    await t.step("slow.test", async () => {
      const glibc = await runWithEtcFiles(dir.path, files, ["getent", "ahostsv4", "slow.test"]);
      assert.equal(glibc.code, 0, `getent itself: ${glibc.stdout}`);
      assert.match(glibc.stdout, /^10\.0\.0\.7 /);
      const ours = await runWithEtcFiles(
        dir.path,
        files,
        resolveHostnameCommand("--json", "slow.test"),
      );
      const json = JSON.parse(ours.stdout.trim() || "{}");
      assert.deepEqual(json.addresses, ["10.0.0.7"], ours.stdout + ours.stderr);
    });
    await t.step("-x 10.0.0.7", async () => {
      const glibc = await runWithEtcFiles(dir.path, files, ["getent", "hosts", "10.0.0.7"]);
      assert.equal(glibc.stdout.trim().split(/\s+/).slice(1).join(" "), "slow.test");
      const ours = await runWithEtcFiles(
        dir.path,
        files,
        resolveHostnameCommand("--json", "-x", "10.0.0.7"),
      );
      const json = JSON.parse(ours.stdout.trim() || "{}");
      assert.deepEqual(json.names, ["slow.test"], ours.stdout + ours.stderr);
    });
  },
});
