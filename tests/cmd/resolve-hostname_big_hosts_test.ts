/**
 * `resolve-hostname` beside glibc's getent on a blocklist hosts file (StevenBlack/Pi-hole style:
 * 150,000 lines of `0.0.0.0 ads.example`), where netkit searches the text and parses only the
 * lines that may answer (lib/dns/_hosts_text.ts): names on the first and the last line, on two
 * lines with different addresses, as an alias, in another case, on IPv6 lines, commented out,
 * on a line ending in CR; `--ahosts` both families, and `-x` reverse lookups. As root, in a mount
 * namespace with the file bind-mounted over `/etc/hosts` and `hosts: files` in nsswitch.conf;
 * ignored, with the reason, where namespaces or getent cannot be had. No timing asserted (the
 * figure is bench/resolve_hostname_startup.ts's `--big-hosts`).
 */

import assert from "node:assert/strict";
import { tempDir } from "../harness/peers.ts";
import {
  etcNamespaceUnavailable,
  resolveHostnameCommand,
  runWithEtcFiles,
} from "../harness/etc_namespace.ts";
import { blocklistHostsFile } from "../harness/blocklist_hosts.ts";

const IGNORE = etcNamespaceUnavailable(["getent"]);
const IGNORED = IGNORE ? ` (ignored: ${IGNORE})` : "";

/** The edge lines, among the blocklist's: first, middle and last. */
const FIRST = ["10.1.0.1 first.test twice.test"];
const MIDDLE = [
  "10.1.0.2 twice.test tw.test",
  "10.1.0.3 Official.Test alias.test",
  "10.1.0.4 MiXeD.Test",
  "fd00::4 mixed.test six.test",
  "::ffff:10.1.0.5 mapped.test",
  "#10.1.0.6 commented.test",
  "10.1.0.7 live.test # commented.test",
  "10.1.0.8 cr.test\r",
  "10.1.0.9\ttab.test\tTwice.Test",
];
const LAST = ["10.1.0.10 last.test twice.test"];

const FILES = {
  hosts: blocklistHostsFile(150_000, { first: FIRST, middle: MIDDLE, last: LAST }),
  "nsswitch.conf": "hosts: files\n",
};

const NAMES = [
  "first.test",
  "last.test",
  "twice.test",
  "TWICE.TEST",
  "tw.test",
  "alias.test",
  "official.test",
  "mixed.test",
  "six.test",
  "mapped.test",
  "commented.test",
  "live.test",
  "cr.test",
  "tab.test",
  "localhost",
  "ip6-localhost",
  "absent.test",
];

/** `getent hosts`'s lines, split into fields. */
function fields(stdout: string): string[][] {
  return stdout.split("\n").filter((line) => line !== "").map((line) => line.split(/\s+/));
}

/** `resolve-hostname --json`'s object. */
function json(stdout: string) {
  return JSON.parse(stdout.trim() || "{}") as {
    officialName?: string;
    aliases?: string[];
    addresses?: string[];
    names?: string[];
    error?: unknown;
  };
}

Deno.test({
  name: `resolve-hostname answers as getent from a 150,000-line blocklist hosts file${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    for (const name of NAMES) {
      await t.step(name, async () => {
        // getent hosts: gethostbyname2 for IPv6, then for IPv4 when that finds nothing; its
        // entry, one line per address, each with every name.
        const glibc = await runWithEtcFiles(dir.path, FILES, ["getent", "hosts", name]);
        const lines = fields(glibc.stdout);
        const six = lines[0]?.[0]?.includes(":") ?? false;
        const command = six ? "cmd/resolve-hostname6.ts" : "cmd/resolve-hostname.ts";
        const ours = await runWithEtcFiles(dir.path, FILES, [
          Deno.execPath(),
          "run",
          "-A",
          command,
          "--json",
          name,
        ]);
        if (lines.length === 0) {
          assert.equal(glibc.code, 2, "getent itself");
          assert.equal(ours.code, 1);
          assert.ok(json(ours.stdout).error, ours.stdout);
        } else {
          const entry = json(ours.stdout);
          assert.deepEqual(entry.addresses, lines.map(([address]) => address));
          assert.deepEqual([entry.officialName, ...entry.aliases ?? []], lines[0]?.slice(1));
        }
        // Both families, as getaddrinfo lists them (RFC 6724 order), byte for byte.
        const ahosts = await runWithEtcFiles(dir.path, FILES, ["getent", "ahosts", name]);
        const ourAhosts = await runWithEtcFiles(
          dir.path,
          FILES,
          resolveHostnameCommand("--ahosts", name),
        );
        assert.equal(ourAhosts.stdout, ahosts.stdout);
      });
    }
    for (const address of ["10.1.0.1", "10.1.0.2", "10.1.0.5", "10.1.0.6", "fd00::4", "0.0.0.0"]) {
      await t.step(`-x ${address}`, async () => {
        const glibc = await runWithEtcFiles(dir.path, FILES, ["getent", "hosts", address]);
        const ours = await runWithEtcFiles(
          dir.path,
          FILES,
          resolveHostnameCommand("--json", "-x", address),
        );
        const names = fields(glibc.stdout)[0]?.slice(1);
        if (names === undefined) assert.ok(json(ours.stdout).error, ours.stdout);
        else assert.deepEqual(json(ours.stdout).names, names);
      });
    }
  },
});

Deno.test({
  name: `resolve-hostname answers as getent from a hosts file over 16 MiB${IGNORED}`,
  ignore: IGNORE !== undefined,
  async fn(t) {
    // 500,000 lines, ~18 MB: over MAX_HOSTS_FILE_BYTES, which every lookup (localhost too) once
    // failed on with a RangeError, where glibc reads a hosts file of any size.
    const files = {
      hosts: blocklistHostsFile(500_000, { first: FIRST, middle: MIDDLE, last: LAST }),
      "nsswitch.conf": "hosts: files\n",
    };
    assert.ok(files.hosts.length > 16 * 1024 * 1024);
    await using dir = await tempDir();
    for (const name of ["localhost", "first.test", "twice.test", "last.test", "absent.test"]) {
      await t.step(name, async () => {
        const ahosts = await runWithEtcFiles(dir.path, files, ["getent", "ahosts", name]);
        const ours = await runWithEtcFiles(
          dir.path,
          files,
          resolveHostnameCommand("--ahosts", name),
        );
        assert.equal(ours.stdout, ahosts.stdout);
        assert.equal(ours.code === 0, ahosts.code === 0, ours.stderr);
      });
    }
  },
});
