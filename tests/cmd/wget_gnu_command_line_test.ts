/**
 * wget's command line against GNU Wget 1.21.3's, run side by side: the option table itself
 * (names, order, arguments), getopt_long's reading (prefixes, clusters, `-n` letters, values that
 * start with `-`, booleans' `no-` twins and `=on|off`), its errors byte for byte in the C and the
 * C.UTF-8 locale, and what accepted command lines do (the same requests, the same files).
 */

import assert, { deepEqual, equal } from "node:assert/strict";
import { GNU_LONG_OPTIONS, GNU_SHORT_OPTIONS } from "../../cmd/_wget/gnu_options.ts";
import { parseWgetCommandLine } from "../../cmd/_wget/command_line.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { replyWith, send, startRawServer } from "../harness/raw_http_server.ts";
import { commandArgs } from "../harness/run.ts";
import { seededRandom } from "../harness/seeded_random.ts";
import { fuzzSeeds } from "../harness/fuzz_compare.ts";
import { assertSame, sideBySide } from "../harness/wget_side_by_side.ts";

const decoder = new TextDecoder();
const DENO_DIR = Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;

interface Run {
  code: number;
  stderr: string;
}

/** Runs GNU wget or netkit's with `args` in `cwd` and locale `locale`; stdout is dropped. */
async function runWget(
  tool: "gnu" | "netkit",
  args: string[],
  locale: string,
  cwd: string,
  env: Record<string, string> = {},
): Promise<Run> {
  // Through sh, so that GNU's argv[0] (getopt's prefix) is "wget" as typed, not its path.
  const [program, ...rest] = tool === "gnu"
    ? ["sh", "-c", 'exec wget "$@"', "sh", ...args]
    : [Deno.execPath(), ...commandArgs("wget"), ...args];
  const output = await new Deno.Command(program!, {
    args: rest,
    cwd,
    clearEnv: true,
    env: { LC_ALL: locale, PATH: Deno.env.get("PATH") ?? "", HOME: cwd, DENO_DIR, ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: output.code, stderr: decoder.decode(output.stderr) };
}

/** netkit's reading of `args`, quietly: the values and operands, or undefined after an error. */
function parsedByNetkitValues(args: string[]) {
  const quiet = { writeSync: (p: Uint8Array) => p.length };
  const result = parseWgetCommandLine(args, { stdout: quiet, stderr: quiet });
  return typeof result === "number" ? undefined : result;
}

/** netkit's reading of `args` alone, in this process: the exit code (or "parsed") and stderr. */
function parsedByNetkit(args: string[]): { code: number | "parsed"; stderr: string } {
  let stderr = "";
  const sink = {
    writeSync: (p: Uint8Array) => (stderr += decoder.decode(p), p.length),
  };
  const result = parseWgetCommandLine(args, {
    stdout: { writeSync: (p) => p.length },
    stderr: sink,
  });
  return { code: typeof result === "number" ? result : "parsed", stderr };
}

/** Runs `jobs` at most `width` at a time (the machine is shared). */
async function bounded<T>(jobs: (() => Promise<T>)[], width = 6): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const index = next++;
        results[index] = await jobs[index]!();
      }
    }),
  );
  return results;
}

/** The long options' names, without the argument marks. */
const NAMES = GNU_LONG_OPTIONS.map((entry) => entry.replace(/[=?]$/, ""));
const KIND_OF = new Set(NAMES);

Deno.test("parseWgetCommandLine() reads GNU's forms into netkit's values, the last of an option and its twin winning", () => {
  const table: [string[], Record<string, unknown>, string[]?][] = [
    [["--no-check-cert", "u"], { "no-check-certificate": true }, ["u"]],
    [["--tri=3", "--quie"], { tries: "3", quiet: true }],
    [["--no-verb", "--no-host-dir"], {
      verbose: false,
      "no-verbose": true,
      "no-host-directories": true,
    }],
    [["-N", "--no-timestamping"], { timestamping: false }],
    [["--no-timestamping", "-N"], { timestamping: true }],
    [["--quiet=off", "--timestamping=on"], { quiet: false, timestamping: true }],
    [["--quiet=Yes", "--spider=0"], { quiet: true, spider: false }],
    [["-qnc"], { quiet: true, "no-clobber": true }],
    [["-nvH", "-np"], {
      verbose: false,
      "no-verbose": true,
      "no-host-directories": true,
      "no-parent": true,
    }],
    [["-nd", "-x"], { "no-directories": false, "force-directories": true }],
    [["-x", "--no-directories"], { "no-directories": true, "force-directories": false }],
    [["-O", "-foo", "-U", "-agent"], { "output-document": "-foo", "user-agent": "-agent" }],
    [["-qO-", "-t0", "-Pdir"], {
      quiet: true,
      "output-document": "-",
      tries: "0",
      "directory-prefix": "dir",
    }],
    [["u1", "-q", "u2", "--", "-v", "u3"], { quiet: true }, ["u1", "u2", "-v", "u3"]],
    // The argument is `--`, which GNU's strtol reads as 0 (no limit).
    [["--tries", "--", "u"], { tries: "0" }, ["u"]],
    [["--html-extension", "-E"], { "adjust-extension": true }],
    [["--check-certificate=off"], { "no-check-certificate": true }],
    [["--cookies", "--no-cookies"], { "no-cookies": true }],
    [["--clobber"], { "no-clobber": false }],
    [["--clobber=no", "--parent=off", "--no-parent"], { "no-clobber": true, "no-parent": true }],
    [["--http-passwd=p", "--proxy-passwd", "q"], { "http-password": "p", "proxy-password": "q" }],
    [["--backups", "--no-backups", "--backups=3"], { backups: "3" }],
    [["-m", "--no-timestamping"], { recursive: true, timestamping: false, level: "inf" }],
    [["--no-timestamping", "-m"], { recursive: true, timestamping: true, level: "inf" }],
    [["-Y", "off"], { "no-proxy": true }],
    [["--no-proxy", "--proxy"], { "no-proxy": false }],
    [["-a", "log", "-o", "log2"], { "append-output": "log2" }],
    [["--progress=d:mega"], { progress: "dot:mega" }],
    [["--no-hsts", "--secure-protocol", "TLSv1_2"], {
      execute: ["hsts=off", "secure_protocol=TLSv1_2"],
    }],
    [["--dont-remove-listing", "-d"], { execute: ["remove_listing=off", "debug=on"] }],
    [["--no-warc-cdx", "--warc-compression=off"], {}],
    [["--max-t", "4"], { "max-threads": "4" }],
    [["--max-redirect=0"], { "max-redirect": "0" }],
  ];
  for (const [args, values, positionals = []] of table) {
    const parsed = parseWgetCommandLine(args, {
      stdout: { writeSync: (p) => p.length },
      stderr: { writeSync: (p) => p.length },
      // (The machine's .wgetrc files, which the reader reads, are no part of this table.)
      readWgetrcs: () => [],
    });
    assert.ok(typeof parsed !== "number", args.join(" "));
    deepEqual(parsed.values, values, args.join(" "));
    deepEqual(parsed.positionals, positionals, args.join(" "));
  }
});

Deno.test("parseWgetCommandLine() refuses the GNU options netkit lacks in one line, exit 2", () => {
  for (
    const args of [["--warc-cdx"], ["--warc-dedup=f"], ["--use-askpass=x"], ["--ftps-implicit=on"]]
  ) {
    const { code, stderr } = parsedByNetkit(args);
    equal(code, 2, args[0]);
    assert.match(stderr, /^wget: --[a-z-]+: not supported by netkit's wget\n$/, args[0]);
  }
});

peerTest(
  "GNU_LONG_OPTIONS and GNU_SHORT_OPTIONS are the installed GNU wget's: names in its order, and each option's argument",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    // Every name begins with the empty prefix: GNU lists its whole table, in order.
    const all = await runWget("gnu", ["--=x"], "C", dir.path);
    const listed = /possibilities:(.*)\n/.exec(all.stderr)?.[1]?.trim().split(" ")
      .map((quoted) => quoted.slice(3, -1));
    deepEqual(listed, NAMES);
    // Each option after a bad one, then alone at the end: getopt's complaint (no argument
    // allowed, or one required) or none; GNU stops at -Z before applying anything.
    const cases: string[][] = [];
    for (const name of NAMES) {
      if (name !== "config") cases.push(["-Z", `--${name}=x`]);
      cases.push(["-Z", `--${name}`]);
    }
    for (const letter of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
      cases.push(["-Z", `-${letter}`]);
    }
    const gnu = await bounded(cases.map((args) => () => runWget("gnu", args, "C", dir.path)));
    for (const [index, args] of cases.entries()) {
      const netkit = parsedByNetkit(args);
      deepEqual(netkit, gnu[index], `${args.join(" ")}: ${JSON.stringify([netkit, gnu[index]])}`);
    }
    // The short options are GNU's letters, no more: a letter GNU lacks is a second complaint.
    const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".split("");
    const accepted = letters.filter((letter) =>
      !gnu[cases.length - letters.length + letters.indexOf(letter)]!.stderr.includes(
        `invalid option -- '${letter}'`,
      )
    );
    deepEqual(accepted.sort(), Object.keys(GNU_SHORT_OPTIONS).sort());
  },
);

/** Command lines GNU wget refuses before any request (the URL `x` is never fetched). */
const REFUSED: string[][] = [
  ["--bogus"],
  ["--bogus=1", "x"],
  ["-Z"],
  ["-qZv", "x"],
  ["-O"],
  ["--tries"],
  ["--tri"],
  ["--output-document"],
  ["--no-verbose=1"],
  ["--no-verb=1"],
  ["--no-check-cert=x"],
  ["--warc"],
  ["--war=x"],
  ["--no-c"],
  ["--=x"],
  ["--no"],
  ["-n"],
  ["-nz"],
  ["-nvz", "x"],
  ["--no=vq", "x"],
  ["--quiet=foo"],
  ["--no-clobber=maybe", "x"],
  ["--proxy_=x"],
  ["-Y", "x", "x"],
  ["--version=1"],
  ["--help=1"],
  [],
  ["-q"],
  ["--"],
  ["-q", "-v", "x"],
  ["--quiet", "--verbose=on", "x"],
  ["-N", "-nc", "x"],
  ["-4", "-6", "x"],
  ["--progress=foo", "x"],
  ["--progress", "x"],
  ["-e", "progress=foo", "x"],
  ["-e", "bogus=1", "x"],
  ["--execute=noequals", "x"],
  ["--bogus", "-Z", "--tries"],
  ["--no-config", "--bogus"],
  ["--no-con", "-Z", "x"],
  ["-nz", "--bogus"],
  // GNU's first reading moves the operands after the options: -O then takes x (no URL left).
  ["x", "-O"],
  ["x", "--bogus", "--tries"],
  ["x", "--no-config", "-O"],
  ["x", "--no-con", "-O"],
  // A bad -e ends wget where it stands (GNU's run_command), after the first reading's getopt
  // errors and before any later option's.
  ["-e", "robots=maybe", "--bogus", "x"],
  ["-e", "Ro_bots=maybe", "-Z", "x"],
  ["--bogus", "-e", "robots=maybe", "x"],
  ["-e", "robots=maybe", "--progress=foo", "x"],
  ["--progress=foo", "-e", "robots=maybe", "x"],
  ["-e", "bogus=1", "-nz", "x"],
  ["-e", "robots=maybe", "-nz", "x"],
  ["-e", "timeout=x", "--quiet=foo", "x"],
  ["-e", "wait=1x", "-e", "robots=maybe", "x"],
  ["-e", "wait=-1", "x"],
  ["-e", "wait=.", "--bogus", "x"],
  ["-e", "quota=abc", "x"],
  ["-e", "limit_rate=2kk", "x"],
  ["-e", "quota=INF", "x"],
  ["-e", "", "-Z", "x"],
  ["-e", "#c", "x"],
  ["-e", "two words=1", "x"],
  ["-e", "progress=foo", "--warc-cdx", "x"],
  // Whole numbers as GNU's cmd_number reads them (strtol): negative, or beyond INT_MAX, refused
  // where the option stands, named as written.
  ["-t", "-1", "x"],
  ["--tries=99999999999", "x"],
  ["-l", "-1", "x"],
  ["--level=2147483648", "x"],
  ["--max-redirect=-1", "x"],
  ["--backups=-2", "x"],
  ["--cut-dirs", "-1", "x"],
  ["-e", "tries=-1", "x"],
  ["-e", "Num_Tries=-1", "x"],
  ["-e", "reclevel=-3", "--bogus", "x"],
  ["-e", "dots_in_line=-1", "x"],
  ["-t", "-1", "-e", "tries=-2", "x"],
  ["-e", "tries=-2", "-t", "-1", "x"],
  // Time periods and sizes as GNU's cmd_time and cmd_bytes read them, refused in their words.
  ["--wait=-1", "x"],
  ["-T", "x", "x"],
  ["--dns-timeout=1e3", "x"],
  ["--waitretry=", "x"],
  ["--quota=abc", "x"],
  ["-Q", "-1", "x"],
  ["--limit-rate=1x", "x"],
  ["--limit-rate=INF", "x"],
  ["--wait=-1", "-t", "-1", "x"],
  // The settings of a few words (any case), headers, and the ones netkit lacks but GNU checks.
  ["--compression=x", "x"],
  ["--prefer-family=ipv5", "x"],
  ["--certificate-type=y", "x"],
  ["--private-key-type=", "x"],
  ["--regex-type=x", "x"],
  ["--header=x", "x"],
  ["--header=a b: c", "x"],
  ["--secure-protocol=x", "x"],
  ["--start-pos=x", "x"],
  ["-e", "compression=x", "x"],
  ["-e", "start_pos=-1", "x"],
  ["-e", "header=x", "x"],
  // The commands netkit ignores are checked as GNU checks them; the ones Debian's GNU wget is built
  // without (c-ares, Metalink, VMS, debug) are unknown, as there.
  ["-e", "passive_ftp=maybe", "x"],
  ["-e", "check_certificate=x", "x"],
  ["--restrict-file-names=unix,,x", "x"],
  ["-e", "restrict_file_names=on", "x"],
  ["-e", "report_speed=bytes", "x"],
  ["-e", "warc_header=x", "x"],
  ["-e", "dot_bytes=x", "x"],
  ["-e", "dnsservers=1.1.1.1", "x"],
  ["-e", "metalink_index=1", "x"],
];

peerTest(
  "wget refuses a command line as GNU wget 1.21.3: getopt's words, GNU's short usage and exit code, in the C and C.UTF-8 locales",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    for (const locale of ["C", "C.UTF-8"]) {
      const runs = await bounded(
        REFUSED.flatMap((args) => [
          () => runWget("gnu", args, locale, dir.path),
          () => runWget("netkit", args, locale, dir.path),
        ]),
        4,
      );
      for (const [index, args] of REFUSED.entries()) {
        const [gnu, netkit] = [runs[2 * index]!, runs[2 * index + 1]!];
        assert.notEqual(gnu.code, 0, `GNU: ${args.join(" ")}`);
        deepEqual(
          netkit,
          gnu,
          `${locale}: wget ${args.join(" ")}: ${JSON.stringify(netkit)} ${JSON.stringify(gnu)}`,
        );
      }
    }
  },
);

peerTest(
  "wget reads the .wgetrc files between GNU's two readings of the command line and reports every bad line as GNU wget 1.21.3, in the C and C.UTF-8 locales",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    const bad =
      "tries = 3\nrobots = maybe\n  # a comment\nwait = 1x\nbo_gus = 1\nno equals\n= x\n" +
      "quota = abc\nread_timeout = -2\ntries = -1\ncut_dirs = 2147483648\nreclevel = inf\n";
    await Deno.writeTextFile(`${dir.path}/.wgetrc`, bad);
    await Deno.writeTextFile(`${dir.path}/bad`, bad);
    await Deno.writeTextFile(`${dir.path}/good`, "tries = 3\n");
    const cases: [string[], Record<string, string>][] = [
      [["--bogus", "x"], {}],
      [["-nz", "x"], {}],
      [["--help"], {}],
      [["-e", "robots=maybe", "x"], {}],
      [["x"], {}],
      [["--config=bad", "-Z", "x"], {}],
      [["-Z", "--config=bad", "x"], {}],
      [["--config=none", "x"], {}],
      [["--config=good", "-e", "robots=maybe", "x"], {}],
      [["--no-config", "-e", "robots=maybe", "x"], {}],
      [["--bogus", "x"], { SYSTEM_WGETRC: `${dir.path}/bad` }],
      [["--bogus", "x"], { WGETRC: `${dir.path}/bad` }],
      [["--bogus", "x"], { WGETRC: `${dir.path}/none` }],
    ];
    for (const locale of ["C", "C.UTF-8"]) {
      for (const [args, env] of cases) {
        const gnu = await runWget("gnu", args, locale, dir.path, env);
        const netkit = await runWget("netkit", args, locale, dir.path, env);
        assert.notEqual(gnu.code, 0, `GNU: ${args.join(" ")}`);
        deepEqual(netkit, gnu, `${locale}: wget ${args.join(" ")} ${JSON.stringify(env)}`);
      }
    }
  },
);

peerTest(
  "wget takes GNU's command lines as GNU wget 1.21.3 does: the same requests, files and exit code",
  ["wget"],
  async () => {
    const old = new Date("2020-01-01T00:00:00Z");
    await using server = startRawServer({
      "/f.txt": async (conn) => {
        const body = "fresh\n";
        await send(
          conn,
          "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n" +
            `Last-Modified: ${old.toUTCString()}\r\nContent-Length: ${body.length}\r\n` +
            `Connection: close\r\n\r\n${body}`,
        );
      },
      "/page": replyWith("<p>hello</p>\n"),
      "/dir/g.txt": replyWith("g\n", "text/plain"),
    });
    await using dir = await tempDir();
    const f = `${server.base}/f.txt`;
    // A local f.txt newer than the server's: -N leaves it, without -N the copy is f.txt.1.
    const newer = { files: { "f.txt": "local\n" }, mtime: new Date("2024-01-01T00:00:00Z") };
    const cases: { args: string[]; files?: Record<string, string>; mtime?: Date }[] = [
      { args: ["--no-check-cert", f] },
      { args: ["--tri=3", "--quie", f] },
      { args: ["-N", "--no-timestamping", f], ...newer },
      { args: ["--no-timestamping", "-N", f], ...newer },
      { args: ["--timestamping=on", f], ...newer },
      { args: ["--timestamping=off", f], ...newer },
      { args: ["-qnc", f], ...newer },
      { args: ["-nvc", f], ...newer },
      { args: ["--no-clobber=off", f], ...newer },
      { args: ["--clobber", f], ...newer },
      { args: ["-O", "-foo", f] },
      { args: [f, "-O", "-foo"] },
      { args: ["-Oout", "-t0", f] },
      { args: ["--html-extension", `${server.base}/page`] },
      { args: ["--htmlify=off", "--adjust-ext", `${server.base}/page`] },
      { args: ["-x", "--no-host-dir", `${server.base}/dir/g.txt`] },
      { args: ["--force-dir", "--no-force-dir", `${server.base}/dir/g.txt`] },
      { args: ["-nd", "--directories", `${server.base}/dir/g.txt`] },
      { args: ["--directories=on", "-nH", "--cut-dirs=1", `${server.base}/dir/g.txt`] },
      { args: ["--use-server-timestamps=no", "-P", "-p", f] },
      { args: ["--no-use-server", "-N", f], ...newer },
      { args: ["--spider=on", f] },
      { args: ["--no-spider", "--spider", "--no-spider", f] },
      { args: ["--", f] },
    ];
    for (const job of cases) {
      const both = await sideBySide(dir.path, server, job);
      assertSame(both, job.args.join(" "));
    }
    // Values that start with "-" reach the request: the User-Agent and header lines GNU sends.
    for (const args of [["-U", "-agent", "--header", "-X: y", f], ["--user-a", "-a", "-qnc", f]]) {
      const before = server.requests.length;
      const both = await sideBySide(dir.path, server, { args });
      assertSame(both, args.join(" "));
      const lines = (head: string | undefined) =>
        (head ?? "").split("\r\n").filter((line) => /^(User-Agent|-X):/i.test(line));
      const [gnuHead, netkitHead] = server.requests.slice(before);
      deepEqual(lines(netkitHead), lines(gnuHead), args.join(" "));
      assert.ok(lines(gnuHead).length > 0, args.join(" "));
    }
    // The log: -q (or --quiet=on) prints nothing, --quiet=off GNU's log; -nv its one line.
    for (const args of [["--quiet=on", f], ["-q", "--no-quiet", "-nv", f], ["--no-verbose", f]]) {
      const both = await sideBySide(dir.path, server, { args });
      assertSame(both, args.join(" "));
      equal(both.netkit.stderr === "", both.gnu.stderr === "", args.join(" "));
      equal(
        both.netkit.stderr.split("\n").length,
        both.gnu.stderr.split("\n").length,
        args.join(" "),
      );
    }
  },
);

peerTest(
  "wget runs each -e COMMAND where it stands among the options and the .wgetrc lines before them all, as GNU wget 1.21.3: the same requests (their headers), files and exit code",
  ["wget"],
  async () => {
    const page = '<a href="a.txt">a</a> <a href="b.txt">b</a> <a href="c.log">c</a>\n';
    // Fails 21 tries in a row (one more than GNU's default 20), then answers: reached only when
    // the tries have no limit (`-t inf`, and `-t x`, `-t ''`: GNU's strtol makes them 0).
    let flakyFailures = 0;
    const flakyAnswer = replyWith("at last\n", "text/plain");
    await using server = startRawServer({
      // Closed unanswered: a failed try (GNU's "No data received."), as many as -t says.
      "/fail": async () => {},
      "/flaky": async (conn, request) => {
        if (flakyFailures < 21) return void flakyFailures++;
        flakyFailures = 0;
        await flakyAnswer(conn, request);
      },
      "/index.html": replyWith(page),
      "/a.txt": replyWith("a\n", "text/plain"),
      "/b.txt": replyWith("b\n", "text/plain"),
      "/c.log": replyWith("c\n", "text/plain"),
      "/robots.txt": replyWith("User-agent: *\nDisallow: /b.txt\n", "text/plain"),
      "/h": replyWith("h\n", "text/plain"),
    });
    await using dir = await tempDir();
    const rc = `${dir.path}/rc`;
    await Deno.writeTextFile(rc, "tries = 4\nheader = X-R: r\nuser_agent = R\nreject = c.log\n");
    const mirrorRc = `${dir.path}/mirror_rc`;
    await Deno.writeTextFile(mirrorRc, "dirstruct = off\nmirror = on\n");
    const [fail, index, h] = ["/fail", "/index.html", "/h"].map((path) => server.base + path);
    const retries = ["--waitretry=0", fail!];
    const flaky = ["--waitretry=0", `${server.base}/flaky`];
    const recursive = ["-r", "-nd", "-l1", index!];
    const old = { files: { h: "old\n" }, mtime: new Date("2001-01-01T00:00:00Z") };
    const cases: { args: string[]; files?: Record<string, string>; mtime?: Date }[] = [
      { args: ["-e", "tries=3", "-t", "2", ...retries] },
      { args: ["-t", "2", "-e", "tries=3", ...retries] },
      { args: ["--no-config", "-e", "tries=3", "-t2", ...retries] },
      { args: ["-e", "tries=3", "--config", rc, ...retries] },
      { args: ["--config", rc, "-t", "2", ...retries] },
      { args: ["--config", rc, "--no-config", ...retries] },
      // -t as GNU's strtol reads it: digits up to the first other character.
      { args: ["-t", "2x", ...retries] },
      { args: ["--tries= +3", ...retries] },
      { args: ["-e", "tries=2.9", ...retries] },
      { args: ["-t", "inf", ...flaky] },
      { args: ["--tries=INF", ...flaky] },
      { args: ["-t", "x", ...flaky] },
      { args: ["-t", "", ...flaky] },
      { args: ["-e", "tries=inf", ...flaky] },
      { args: ["-t", "3", "-e", "numtries=0x5", ...flaky] },
      { args: ["--no-config", "--config", rc, ...retries] },
      { args: ["-e", "noconfig=on", "-e", "chooseconfig=" + rc, "-t", "2", ...retries] },
      { args: ["-e", "robots=on", "-e", "robots=off", ...recursive] },
      { args: ["-e", "robots=off", "-A", "a.txt", "-e", "accept=b.txt", ...recursive] },
      { args: ["-e", "robots=off", "-A", "a.txt", "-e", "accept=", "-A", "c.log", ...recursive] },
      { args: ["-e", "robots=off", "-e", "accept=a.txt", "-A", "", ...recursive] },
      { args: ["-e", "robots=off", "-R", "a.txt", "-e", "reject=b.txt", ...recursive] },
      { args: ["--config", rc, "-e", "robots=off", "-R", "a.txt", ...recursive] },
      { args: ["--config", rc, "-e", "robots=off", "-R", "", ...recursive] },
      { args: ["--config", mirrorRc, "-e", "robots=off", "--no-timestamping", "-l1", index!] },
      { args: ["-e", "mirror=on", "--no-timestamping", "-nd", "-e", "robots=off", index!] },
      { args: ["-nd", "-e", "dirstruct=on", "-e", "robots=off", "-r", "-l1", index!] },
      { args: ["-e", "dirstruct=on", "-nd", "-e", "robots=off", "-r", "-l1", index!] },
      { args: ["--header", "X-A: 1", "-e", "header=X-B: 2", "--header", "X-C: 3", h!] },
      { args: ["--header", "X-A: 1", "-e", "header=", "--header", "X-C: 3", h!] },
      { args: ["-e", "header=X-B: 2", "--header=", "--header", "X-C: 3", h!] },
      { args: ["--config", rc, "--header", "X-C: c", "-U", "C", h!] },
      { args: ["--config", rc, "--header=", "-e", "header=X-D: d", h!] },
      { args: ["-e", "useragent=E", "-U", "C", h!] },
      { args: ["-U", "C", "-e", "useragent=E", h!] },
      { args: ["-e", "timestamping=on", "--no-timestamping", h!], ...old },
      { args: ["--no-timestamping", "-e", "timestamping=on", h!], ...old },
      { args: ["--quota=inf", "--limit-rate=inf", h!] },
      { args: ["--wait=-0", "-Q", "+1.5k", "--limit-rate= .5k ", h!] },
      { args: ["-e", "quota=inf", "-e", "wait=+0s", h!] },
      { args: ["--retry-on-http-error=x,5o3", "--certificate-type=asn1", h!] },
      { args: ["-e", "check_certificate=quiet", "--restrict-file-names=unix,", h!] },
      { args: ["-e", "report_speed=BITS", "-e", "passive_ftp=on", h!] },
      { args: ["--prefer-family=IPV4", "--regex-type=POSIX", "--secure-protocol=TLSv1_2", h!] },
      { args: ["-q", "-e", "verbose=on", h!] },
      { args: ["-e", "verbose=on", "-q", h!] },
    ];
    // What GNU and netkit send of their own (the User-Agent) aside, the headers a case sets.
    const lines = (head: string) =>
      head.split("\r\n").filter((line, i) =>
        i === 0 || /^(X-|User-Agent|If-Modified)/i.test(line) &&
          !/^User-Agent: (Wget|netkit)/.test(line)
      );
    for (const job of cases) {
      const before = server.requests.length;
      const both = await sideBySide(dir.path, server, job);
      const what = job.args.join(" ");
      assertSame(both, what);
      const gnuCount = both.gnu.requests.length;
      deepEqual(
        server.requests.slice(before + gnuCount).map(lines),
        server.requests.slice(before, before + gnuCount).map(lines),
        what,
      );
    }
  },
);

peerTest(
  "wget --progress=dot:STYLE with an unknown STYLE warns as GNU wget 1.21.3 and goes on; bar's unknown modifiers are ignored",
  ["wget"],
  async () => {
    await using server = startRawServer({ "/f.txt": replyWith("hello\n", "text/plain") });
    await using dir = await tempDir();
    for (
      const args of [
        ["--progress=dot:foo", `${server.base}/f.txt`],
        ["--progress=dot:Binary", `${server.base}/f.txt`],
        ["--progress=d:foo", "-O", "-", `${server.base}/f.txt`],
        ["--progress=bar:foo", `${server.base}/f.txt`],
        ["--progress=bar:foo:force", "-q", `${server.base}/f.txt`],
        ["-nv", "--progress=dot:foo", `${server.base}/f.txt`],
        ["-nv", "--show-progress", "--progress=dot:foo", `${server.base}/f.txt`],
      ]
    ) {
      const both = await sideBySide(dir.path, server, { args });
      assertSame(both, args.join(" "));
      // The warning line, or none (the lines after it hold the time of day).
      const warning = (text: string) =>
        text.split("\n").filter((line) => line.startsWith("Invalid"));
      deepEqual(warning(both.netkit.stderr), warning(both.gnu.stderr), args.join(" "));
    }
  },
);

/**
 * Options whose values GNU takes whatever they are (no check before the URLs), and the booleans
 * whose values are GNU's plain on/off: the pool of the random command lines below, so that GNU's
 * answer is getopt's or the boolean's, never a value check netkit makes later in its own words.
 */
const FREE_VALUES = [
  "output-document",
  "user-agent",
  "directory-prefix",
  "accept",
  "reject",
  "domains",
  "user",
  "password",
  "referer",
  "default-page",
  "body-data",
  "post-data",
  "input-file",
  "output-file",
  "append-output",
  "base",
  "include-directories",
  "exclude-directories",
  "no",
];
const CHECKED = ["restrict-file-names", "report-speed", "backups", "check-certificate"];
// (netkit refuses the WARC and FTPS ones; GNU's -d prints what each later option sets, netkit
// has no debug output: not in the pool.)
const BOOLEANS = GNU_LONG_OPTIONS.filter((entry) => entry.endsWith("?"))
  .map((entry) => entry.slice(0, -1))
  .filter((name) => !CHECKED.includes(name) && !/^(warc|ftps)-|^debug$/.test(name));
const SAFE = new Set(
  [...FREE_VALUES, ...BOOLEANS, "help", "version"].flatMap((name) =>
    KIND_OF.has(name) ? [name] : []
  ),
);
/** Each safe option's twins (`no-quiet`) are safe too. */
for (const name of BOOLEANS) if (NAMES.includes(`no-${name}`)) SAFE.add(`no-${name}`);

/** A command line of 1 to 4 option words (no URL, so GNU never goes to the network). */
function randomCommandLine(random: () => number): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const safe = [...SAFE];
  const words: string[] = [];
  const count = 1 + Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const kind = random();
    if (kind < 0.5) {
      // A long option, maybe shortened (when that leaves it unique among GNU's, or ambiguous).
      const name = pick(safe);
      let text = name;
      if (random() < 0.5) {
        const prefix = name.slice(0, 1 + Math.floor(random() * name.length));
        const matches = NAMES.filter((other) => other.startsWith(prefix));
        if (matches.length !== 1 || SAFE.has(matches[0]!)) text = prefix;
      }
      const value = random() < 0.4
        ? `=${pick(["on", "off", "Yes", "NO", "1", "0", "foo", "", "-x", "a: b"])}`
        : "";
      words.push(`--${text}${value}`);
    } else if (kind < 0.8) {
      // A cluster of short options, maybe with a value after a letter that takes one.
      let cluster = "-";
      const length = 1 + Math.floor(random() * 3);
      for (let j = 0; j < length; j++) {
        cluster += pick([..."qvcNrkKEFSHxmpbLh46OUPARDnioaBIXYZy".split("")]);
      }
      if (random() < 0.3) cluster += pick(["vc", "x", "-", "H", "on"]);
      words.push(cluster);
    } else if (kind < 0.9) {
      words.push(pick(["-nv", "-nc", "-nz", "-nvH", "-npd", "-n", "--no", "--no=v", "-Y", "-Yon"]));
    } else {
      // A word that may be a value (after an option that takes one), or `--`.
      words.push(pick(["-x", "on", "--", "-", "--quiet", "a: b"]));
    }
  }
  // A loose word that is no option would be a URL: drop the case's tail after it.
  return words;
}

/** The seeds the test suite runs: 150 command lines each. */
const COMMAND_LINE_SEEDS = [1, 2];

peerTest(
  "wget reads random GNU command lines as GNU wget 1.21.3: getopt's errors and exit codes byte for byte, and the same lines accepted",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    for (const seed of fuzzSeeds(COMMAND_LINE_SEEDS)) {
      const random = seededRandom(seed);
      const cases: string[][] = [];
      while (cases.length < 150) {
        const args = randomCommandLine(random);
        // No URL: a word that would be one (not an option, nor an option's value) drops the case.
        const parsed = parsedByNetkitValues(args);
        if (parsed !== undefined && parsed.positionals.length > 0) continue;
        cases.push(args);
      }
      const gnu = await bounded(
        cases.map((args) => () => runWget("gnu", args, "C.UTF-8", dir.path)),
      );
      for (const [index, args] of cases.entries()) {
        const what = `seed ${seed}: wget ${args.map((arg) => JSON.stringify(arg)).join(" ")}`;
        const netkit = parsedByNetkit(args);
        const theirs = gnu[index]!;
        const refused = !theirs.stderr.includes("missing URL") &&
          /Try `wget --help'|Invalid boolean|illegal option/.test(theirs.stderr);
        if (refused) {
          deepEqual(netkit, theirs, `${what}: ${JSON.stringify([netkit, theirs])}`);
        } else {
          // GNU took the command line (and went on to say there is no URL, or to print its help).
          assert.ok(
            netkit.code === "parsed" || netkit.code === 0,
            `${what}: ${JSON.stringify([netkit, theirs])}`,
          );
        }
      }
    }
  },
);
