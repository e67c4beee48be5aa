/**
 * The sockets a lookup of both families sends its A and AAAA questions from, as the name server
 * sees them (their source ports, and when each question comes): `resolve-hostname --ahosts NAME`
 * beside `getent ahosts NAME` (glibc 2.36's send_dg), through a search list of two names, with
 * resolv.conf's default options, `single-request` and `single-request-reopen`. glibc sends a
 * name's pair from one socket (one source port): both at once by default; under
 * `single-request` the AAAA question only once the A one is answered, on the same socket; under
 * `single-request-reopen` then from a new socket, the first closed. netkit sent each question
 * from a socket of its own, both at once whatever the options said.
 *
 * The server (port 53 of a loopback address of its own, as resolv.conf cannot name a port) holds
 * back its answers to A questions for a moment, so that an AAAA question sent at once comes
 * before the A answer, and one sent after it comes after; it logs each question (type, name,
 * source port) and each answer in the order they happen. Ports are compared as labels, by first
 * appearance within each name (a name's questions from one socket, or two), since each run has
 * ports of its own. As root, in a mount namespace with the test's resolv.conf over `/etc`.
 */

import assert from "node:assert/strict";
import { decodeDnsMessage, DNS_RCODE, DNS_TYPE, type DnsMessage } from "../../lib/dns/message.ts";
import { answerTo, listenDnsPort } from "../harness/dns_peers.ts";
import {
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";
import { loopbackAddress } from "../harness/loopback_address.ts";
import { tempDir } from "../harness/peers.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]);
const SERVER = loopbackAddress();

/** How long the server holds back an A answer: an AAAA question sent at once comes before it. */
const HOLD_A_MS = 300;

/** What the server saw or did, in order. */
interface Seen {
  what: "question" | "answer";
  type: string;
  name: string;
  /** The question's source port (the answer's destination). */
  port: number;
}

/** The name with addresses: `pair` with the second search domain. */
const FOUND = "pair.two.test";

function startLoggingServer() {
  const [udp, tcp] = listenDnsPort(SERVER, 53);
  const log: Seen[] = [];
  const held: Promise<void>[] = [];
  const reply = async (query: DnsMessage, port: number, to: Deno.Addr) => {
    const question = query.questions[0];
    if (question === undefined) return;
    const type = question.type === DNS_TYPE.A
      ? "A"
      : question.type === DNS_TYPE.AAAA
      ? "AAAA"
      : "?";
    const name = question.name.toLowerCase();
    if (type === "A") await new Promise((resolve) => setTimeout(resolve, HOLD_A_MS));
    const data = type === "A" ? "10.0.0.1" : "fd00::1";
    const answer = name !== FOUND
      ? answerTo(query, { rcode: DNS_RCODE.NXDOMAIN })
      : answerTo(query, {
        answers: [{ name: question.name, type: question.type, class: 1, ttl: 60, data }],
      });
    try {
      await udp.send(answer, to);
      log.push({ what: "answer", type, name, port });
    } catch {
      // Closed meanwhile.
    }
  };
  const serving = (async () => {
    try {
      while (true) {
        const [wire, from] = await udp.receive();
        const query = decodeDnsMessage(wire);
        const question = query.questions[0];
        const port = (from as Deno.NetAddr).port;
        log.push({
          what: "question",
          type: question?.type === DNS_TYPE.A
            ? "A"
            : question?.type === DNS_TYPE.AAAA
            ? "AAAA"
            : "?",
          name: question?.name.toLowerCase() ?? "",
          port,
        });
        held.push(reply(query, port, from));
      }
    } catch {
      // Closed.
    }
  })();
  const accepting = (async () => {
    try {
      // Accepted and closed: netkit's probe of a server slow to answer finds it alive.
      for await (const conn of tcp) conn.close();
    } catch {
      // Closed.
    }
  })();
  return {
    log,
    /** Waits until every answer held back has been sent. */
    settled: () => Promise.all(held),
    async [Symbol.asyncDispose]() {
      await Promise.all(held);
      udp.close();
      tcp.close();
      await Promise.all([serving, accepting]);
    },
  };
}

/** The log as compared: each port as a label, `p1`, `p2`, by first appearance within its name. */
function labelled(log: Seen[]): string[] {
  const labels = new Map<string, Map<number, string>>();
  return log.map(({ what, type, name, port }) => {
    const byPort = labels.get(name) ?? new Map<number, string>();
    labels.set(name, byPort);
    if (!byPort.has(port)) byPort.set(port, `p${byPort.size + 1}`);
    return `${what} ${type} ${name} from ${byPort.get(port)}`;
  });
}

Deno.test({
  name:
    `resolve-hostname --ahosts sends a name's A and AAAA questions from one socket, as getent ahosts, under each single-request option${
      IGNORE ? ` (ignored: ${IGNORE})` : ""
    }`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using server = startLoggingServer();
    await using dir = await tempDir();
    const variants: [string, string][] = [
      ["default options", ""],
      ["single-request", "options single-request\n"],
      ["single-request-reopen", "options single-request-reopen\n"],
    ];
    for (const [what, options] of variants) {
      await t.step(what, async () => {
        const files = {
          "resolv.conf": `nameserver ${SERVER}\nsearch one.test two.test\n${options}`,
          hosts: "127.0.0.1 localhost\n",
          "nsswitch.conf": "hosts: files dns\n",
        };
        const runs: Record<string, { stdout: string; log: string[] }> = {};
        for (
          const [side, argv] of [
            ["glibc", ["getent", "ahosts", "pair"]],
            ["netkit", resolveHostnameCommand("--ahosts", "pair")],
          ] as const
        ) {
          server.log.length = 0;
          const run = await runWithEtcFiles(dir.path, files, [...argv]);
          await server.settled();
          assert.equal(run.code, 0, `${side}: ${run.stderr}`);
          runs[side] = { stdout: run.stdout, log: labelled(server.log) };
        }
        const glibc = runs.glibc!;
        const netkit = runs.netkit!;
        assert.match(glibc.stdout, /^fd00::1\s/m, "getent itself");
        assert.equal(netkit.stdout, glibc.stdout);
        assert.deepEqual(netkit.log, glibc.log);
        // What the comparison stands for: each name's pair from one socket, but under
        // single-request-reopen, from two.
        const ports = new Set(
          glibc.log.filter((line) => line.includes(FOUND)).map((line) => line.at(-1)),
        );
        assert.equal(ports.size, what === "single-request-reopen" ? 2 : 1, glibc.log.join("\n"));
      });
    }
  },
});
