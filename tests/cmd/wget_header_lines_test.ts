/**
 * What wget's verbose log says of an answer's Content-Type and Last-Modified, beside GNU wget 1.21
 * on the same raw server: the type in the length line without its parameters (`[text/plain]` for
 * `text/plain;charset=UTF-8`), "Last-modified header invalid -- time-stamp ignored." for a date
 * GNU's parser cannot read (plain, `-N`, `-N --no-if-modified-since`, `--spider`), and where
 * "Last-modified header missing" falls after a HEAD.
 */

import assert from "node:assert/strict";
import { peerTest, tempDir } from "../harness/peers.ts";
import { type RawHandler, send, startRawServer } from "../harness/raw_http_server.ts";
import { commandArgs } from "../harness/run.ts";

/** A 200 with `headers` and a two-byte body (none for HEAD), the connection closed after it. */
function answer(headers: string[]): RawHandler {
  return async (conn, { head }) => {
    const body = head.startsWith("HEAD ") ? "" : "hi";
    const lines = ["HTTP/1.1 200 OK", ...headers, "Content-Length: 2", "Connection: close"];
    await send(conn, `${lines.join("\r\n")}\r\n\r\n${body}`);
  };
}

/** The run's dates, rates and durations, which differ between any two runs. */
function shape(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, "DATE")
    .replace(/ 100% .*$/gm, " 100%")
    .replace(/\([\d.]+ [KMG]?B\/s\)/g, "(RATE)");
}

/** Runs GNU wget and netkit's wget with `args`, each in a directory holding an old copy. */
async function both(dir: string, args: string[], copy: string) {
  const tag = crypto.randomUUID();
  const run = async (argv: string[], cwd: string) => {
    await Deno.mkdir(cwd);
    await Deno.writeTextFile(`${cwd}/${copy}`, "old\n");
    await Deno.utime(`${cwd}/${copy}`, new Date("2000-01-01"), new Date("2000-01-01"));
    const out = await new Deno.Command(argv[0]!, {
      args: argv.slice(1),
      cwd,
      stderr: "piped",
      stdout: "null",
      env: { LC_ALL: "C.UTF-8" },
    }).output();
    return { code: out.code, log: shape(new TextDecoder().decode(out.stderr)) };
  };
  return {
    gnu: await run(["wget", ...args], `${dir}/gnu-${tag}`),
    netkit: await run([Deno.execPath(), ...commandArgs("wget"), ...args], `${dir}/netkit-${tag}`),
  };
}

peerTest(
  "wget's length line and Last-Modified lines read as GNU wget's verbose log",
  ["wget"],
  async (t) => {
    await using dir = await tempDir();
    await using server = startRawServer({
      "/charset": answer(["Content-Type: text/plain;charset=UTF-8"]),
      "/spaced": answer(["Content-Type: text/html ; charset=utf-8"]),
      "/bare-params": answer(["Content-Type: ;x"]),
      "/invalid": answer(["Content-Type: text/plain", "Last-Modified: garbage"]),
      "/time-t-minus-one": answer([
        "Content-Type: text/plain",
        "Last-Modified: Wed, 31 Dec 1969 23:59:59 GMT",
      ]),
      "/untimed": answer(["Content-Type: text/plain"]),
    });
    const cases: [string, string[]][] = [
      ["charset", []],
      ["spaced", []],
      ["bare-params", []],
      ["invalid", []],
      ["invalid", ["-N"]],
      ["invalid", ["-N", "--no-if-modified-since"]],
      ["invalid", ["--spider"]],
      ["invalid", ["-nv"]],
      ["time-t-minus-one", []],
      ["untimed", ["-N", "--no-if-modified-since"]],
      ["untimed", ["--spider", "-N"]],
    ];
    for (const [path, options] of cases) {
      await t.step(`${options.join(" ")} /${path}`.trim(), async () => {
        const { gnu, netkit } = await both(
          dir.path,
          [...options, `${server.base}/${path}`],
          path,
        );
        assert.equal(netkit.log, gnu.log);
        assert.equal(netkit.code, gnu.code);
      });
    }
  },
);
