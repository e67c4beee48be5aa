/**
 * wget's HSTS beside GNU Wget 1.21.3 (Debian's, built with HSTS) on loopback: servers of the
 * test's own on a loopback address (HTTP on port 80, HTTPS on 443, as HSTS's default ports need,
 * and one more of each on other ports) under host names of a hosts file of the test's own (a
 * mount namespace; HSTS never applies to IP addresses). Each tool runs with a HOME of its own
 * (`~/.wget-hsts`), seeded alike. Compared: exit codes, the requests the servers saw (scheme, host,
 * path), the files and their bytes, the store after each run (its leading comment lines as they
 * are, its other lines as a set: the order of the hosts carries no meaning, GNU reads them in any
 * order; `created` times of the run's own second written `NOW`), its mode, and the verbose log's
 * HSTS and URL lines. Cases: a
 * plain download of `http://` URLs of a host that sent Strict-Transport-Security (and of its
 * subdomain, another port, another host, a redirect), the next run with that store, `-r`, `-m`
 * and `-p -k` of a site whose pages link to `http://` URLs of the HSTS host, `--no-hsts`,
 * `-e hsts=off`, `--hsts-file`, `.wgetrc`'s `hsts_file`, a store GNU reads with odd lines, a store
 * another run changed meanwhile, a store of many hosts, `max-age=0`, a world-writable store and
 * one that cannot be written.
 */

import assert from "node:assert/strict";
import { etcNamespaceCommand, etcNamespaceUnavailable } from "../harness/etc_namespace.ts";
import { bindFixedPort, loopbackAddress } from "../harness/loopback_address.ts";
import { makeCertificate } from "../harness/nginx.ts";
import { missingPeer, tempDir } from "../harness/peers.ts";
import { commandArgs } from "../harness/run.ts";

/** Why these tests cannot run here, or undefined. */
function unavailable(): string | undefined {
  const missing = missingPeer(["wget", "openssl"]);
  if (missing) return `${missing} is not installed`;
  const namespace = etcNamespaceUnavailable();
  if (namespace) return namespace;
  // Ports 80 and 443 on an address of the test's own: root only.
  if (Deno.uid() !== 0) return "needs root to bind ports 80 and 443";
  return undefined;
}

/** A page. */
function page(body: string): string {
  return `<!DOCTYPE html><html><head><title>t</title></head><body>\n${body}\n</body></html>\n`;
}

/** The servers: port 80 and 443, and `extraHttp` / `extraHttps` on other ports, one address. */
interface Servers extends AsyncDisposable {
  address: string;
  extraHttp: number;
  extraHttps: number;
  /** `scheme://Host-header/target` of every request, in order. */
  requests: string[];
  /** Called on a request for `/touch.html` (another run writing the store meanwhile). */
  onTouch?: (() => void) | undefined;
}

/**
 * The site, the same on every host, scheme and port. HTTPS answers of `site.test` carry
 * `Strict-Transport-Security: max-age=3600; includeSubDomains` (`/zero.html`'s `max-age=0`,
 * `/bad.html`'s none that GNU reads); `/go` redirects to `http://site.test/r.html`.
 */
function siteAnswer(scheme: string, host: string, path: string, extraHttp: number): Response {
  const headers = new Headers();
  const name = host.replace(/:\d+$/, "");
  // (An IP address's answer says so too: never kept.)
  if (scheme === "https" && (name === "site.test" || /^[\d.]+$/.test(name))) {
    headers.set(
      "Strict-Transport-Security",
      path === "/zero.html"
        ? "max-age=0"
        : path === "/bad.html"
        ? "includeSubDomains"
        : "max-age=3600; includeSubDomains",
    );
  }
  const pages: Record<string, string> = {
    "/index.html": page(`<a href="http://site.test/a.html">a</a>
<a href="http://www.site.test/w.html">w</a> <a href="http://plain.test/p.html">p</a>
<a href="http://site.test:${extraHttp}/port.html">another port</a>
<a href="http://plain.test/go">redirect</a> <img src="http://site.test/i.png"> <a href="b.html">b</a>`),
    "/a.html": page(`<a href="index.html">home</a> <img src="i.png">`),
    "/w.html": page(`<a href="http://site.test/b.html">b</a>`),
    "/p.html": page(
      `<a href="http://site.test/b.html">b</a> <a href="http://plain.test/b.html">b</a>`,
    ),
    "/req.html": page(`<img src="http://site.test/i.png">
<link rel=stylesheet href="http://www.site.test/s.css"> <a href="http://site.test/a.html">a</a>
<a href="http://plain.test/b.html">plain</a>`),
    "/b.html": page("b"),
    "/r.html": page("r"),
    "/port.html": page("port"),
    "/zero.html": page("zero"),
    "/bad.html": page("bad"),
    "/touch.html": page("touch"),
  };
  if (path.startsWith("/sts/")) {
    // The header named by the path (percent-encoded), from any host and scheme.
    headers.set("Strict-Transport-Security", decodeURIComponent(path.slice("/sts/".length)));
    return new Response("sts\n", { headers });
  }
  if (path === "/go") {
    headers.set("Location", "http://site.test/r.html");
    return new Response("", { status: 302, headers });
  }
  if (path === "/i.png") return new Response("png\n", { headers });
  if (path === "/s.css") {
    headers.set("Content-Type", "text/css");
    return new Response("body { background: url(i.png) }\n", { headers });
  }
  if (path === "/t.txt") return new Response(`${scheme} ${host}\n`, { headers });
  const body = pages[path];
  if (body === undefined) return new Response("not here\n", { status: 404, headers });
  headers.set("Content-Type", "text/html");
  return new Response(body, { headers });
}

/** Starts the servers on a loopback address of the test's own. */
async function startServers(cert: { cert: string; key: string }): Promise<Servers> {
  const address = loopbackAddress();
  const tls = { cert: await Deno.readTextFile(cert.cert), key: await Deno.readTextFile(cert.key) };
  const servers: Deno.HttpServer[] = [];
  const state: Servers = {
    address,
    extraHttp: 0,
    extraHttps: 0,
    requests: [],
    [Symbol.asyncDispose]: async () => {
      await Promise.all(servers.map((server) => server.shutdown()));
    },
  };
  const serve = (scheme: "http" | "https", port: number) => {
    const server = bindFixedPort(`${address}:${port}`, () =>
      Deno.serve({
        hostname: address,
        port,
        onListen: () => {},
        ...(scheme === "https" ? tls : {}),
      }, (request) => {
        const url = new URL(request.url);
        const host = request.headers.get("Host") ?? "";
        state.requests.push(`${scheme}://${host}${url.pathname}${url.search}`);
        if (url.pathname === "/touch.html") state.onTouch?.();
        return siteAnswer(scheme, host, url.pathname, state.extraHttp);
      }));
    servers.push(server);
    return server.addr.port;
  };
  serve("http", 80);
  serve("https", 443);
  state.extraHttp = serve("http", 0);
  state.extraHttps = serve("https", 0);
  return state;
}

/** What one tool did in one case. */
interface Outcome {
  code: number;
  /** The requests, sorted. */
  requests: string[];
  /** `path: bytes` of every file under the directory it ran in, sorted. */
  files: string[];
  /** The store's text afterwards (`created` of this run's seconds as NOW), or "(none)". */
  store: string;
  /** The store file's mode, or undefined. */
  mode?: number | undefined;
  /** The log's `--DATE--  URL` lines (without the date) and HSTS lines, in order. */
  log: string[];
  stderr: string;
}

/** A case: arguments, a store to start from, a .wgetrc. */
interface Case {
  args: string[];
  /** The store's text to start from (`$PAST` stands for the case's start less 10 s). */
  store?: string;
  /** The store file's mode. */
  storeMode?: number;
  wgetrc?: string;
  /** Where the store is, from HOME (default `.wget-hsts`). */
  storePath?: string;
  /** HOME is mounted read-only for the run (a namespace's bind mount). */
  readOnlyHome?: boolean;
  /** Before the tool runs, with its HOME. */
  prepare?: (home: string, servers: Servers) => void;
}

/** The text of every file under `dir`, `path: text`, sorted. */
async function tree(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (relative: string) => {
    for await (const entry of Deno.readDir(relative ? `${dir}/${relative}` : dir)) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(path);
      else files.push(`${path}: ${await Deno.readTextFile(`${dir}/${path}`)}`);
    }
  };
  await walk("");
  return files.sort();
}

/** The store's text with the `created` times of seconds in [from, to] written NOW. */
function normalizeStore(text: string, from: number, to: number): string {
  return text.split("\n").map((line) => {
    const fields = line.split("\t");
    if (fields.length !== 5 || line.startsWith("#")) return line;
    const created = Number(fields[3]);
    if (created >= from && created <= to) fields[3] = "NOW";
    return fields.join("\t");
  }).join("\n");
}

/**
 * A store's text as compared: its leading comment lines (GNU's header) in order, then its other
 * lines sorted (the hosts' order carries no meaning).
 */
function storeShape(text: string): { header: string[]; lines: string[] } {
  const all = text.split("\n");
  let start = 0;
  while (start < all.length && all[start]!.startsWith("#")) start++;
  return { header: all.slice(0, start), lines: all.slice(start).sort() };
}

/** The entry lines of a store's text, sorted. */
function entryLines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "" && !line.startsWith("#")).sort();
}

/** Runs `job` with `tool` in `dir/TOOL`. */
async function runOne(
  tool: "gnu" | "netkit",
  dir: string,
  servers: Servers,
  wrapper: string[],
  ca: string,
  job: Case,
  past: number,
): Promise<Outcome> {
  const home = `${dir}/${tool}/home`;
  const out = `${dir}/${tool}/out`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(out, { recursive: true });
  const storePath = `${home}/${job.storePath ?? ".wget-hsts"}`;
  if (job.store !== undefined) {
    await Deno.writeTextFile(
      storePath,
      job.store.replaceAll("$PAST", String(past)),
    );
    const now = Math.floor(Date.now() / 1000);
    // Older than the run: a change meanwhile is one GNU sees.
    await Deno.utime(storePath, now - 100, now - 100);
    if (job.storeMode !== undefined) await Deno.chmod(storePath, job.storeMode);
  }
  if (job.wgetrc !== undefined) await Deno.writeTextFile(`${home}/.wgetrc`, job.wgetrc);
  job.prepare?.(home, servers);
  const before = servers.requests.length;
  const argv = tool === "gnu" ? ["wget"] : [Deno.execPath(), ...commandArgs("wget")];
  // (A namespace of its own where HOME, $0, is bound over itself read-only.)
  const readOnly = job.readOnlyHome
    ? [
      "unshare",
      "-m",
      "sh",
      "-c",
      'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
      home,
    ]
    : [];
  const [program, ...args] = [
    ...readOnly,
    ...wrapper,
    ...argv,
    `--ca-certificate=${ca}`,
    ...job.args,
  ];
  const started = Math.floor(Date.now() / 1000);
  const output = await new Deno.Command(program!, {
    args,
    cwd: out,
    env: { HOME: home, LC_ALL: "C.UTF-8", DENO_DIR: denoDir(), DENO_NO_UPDATE_CHECK: "1" },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const ended = Math.floor(Date.now() / 1000);
  const stderr = new TextDecoder().decode(output.stderr);
  let store = "(none)";
  let mode: number | undefined;
  try {
    store = normalizeStore(await Deno.readTextFile(storePath), started, ended);
    mode = (await Deno.stat(storePath)).mode! & 0o777;
  } catch {
    // No store.
  }
  const log = stderr.split("\n")
    .filter((line) => /^--\d|^URL transformed|HSTS|Strict-Transport/.test(line))
    .map((line) => line.replace(/^--\d{4}-\d\d-\d\d \d\d:\d\d:\d\d-- {2}/, "-- "));
  return {
    code: output.code,
    requests: servers.requests.slice(before).sort(),
    files: await tree(out),
    store,
    mode,
    log,
    stderr,
  };
}

/** Deno's cache, where it is for the test run (HOME moves). */
function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}

/** Runs `job` with GNU wget, then with netkit, each from the same start; asserts they agree. */
async function compare(
  dir: string,
  servers: Servers,
  wrapper: string[],
  ca: string,
  job: Case,
  what: string,
): Promise<{ gnu: Outcome; netkit: Outcome; past: number }> {
  const caseDir = await Deno.makeTempDir({ dir, prefix: "case_" });
  // One time for both tools' stores (renewed entries then differ from it whatever the second).
  const past = Math.floor(Date.now() / 1000) - 10;
  const gnu = await runOne("gnu", caseDir, servers, wrapper, ca, job, past);
  const netkit = await runOne("netkit", caseDir, servers, wrapper, ca, job, past);
  const detail = `${what}\nGNU:\n${gnu.stderr}\nnetkit:\n${netkit.stderr}`;
  assert.equal(netkit.code, gnu.code, `exit code: ${detail}`);
  assert.deepEqual(netkit.requests, gnu.requests, `requests: ${detail}`);
  assert.deepEqual(netkit.files, gnu.files, `files: ${detail}`);
  assert.deepEqual(storeShape(netkit.store), storeShape(gnu.store), `store: ${detail}`);
  assert.equal(netkit.mode, gnu.mode, `store's mode: ${detail}`);
  return { gnu, netkit, past };
}

/** The store GNU writes: its comment lines, then `lines`. */
function storeText(...lines: string[]): string {
  return "# HSTS 1.0 Known Hosts database for GNU Wget.\n# Edit at your own risk.\n" +
    "# <hostname>\t<port>\t<incl. subdomains>\t<created>\t<max-age>\n" +
    lines.map((line) => `${line}\n`).join("");
}

const reason = unavailable();

Deno.test({
  name: `wget's HSTS as GNU wget's: the store, http:// URLs fetched over https, -r, -m, -p -k${
    reason ? ` (ignored: ${reason})` : ""
  }`,
  ignore: reason !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    await using dir = await tempDir("netkit_hsts_");
    const cert = await makeCertificate(
      dir.path,
      "DNS:site.test,DNS:www.site.test,DNS:plain.test",
    );
    await using servers = await startServers(cert);
    const a = servers.address;
    const wrapper = await etcNamespaceCommand(dir.path, {
      hosts:
        `127.0.0.1 localhost\n${a} site.test www.site.test x.www.site.test plain.test old.test\n`,
      "nsswitch.conf": "hosts: files\n",
    });
    const run = (job: Case, what: string) =>
      compare(dir.path, servers, wrapper, cert.cert, job, what);
    const P = servers.extraHttp;
    const S = servers.extraHttps;
    const known = "site.test\t0\t1\t$PAST\t3600";

    await t.step(
      "a plain download: the store made, later http:// URLs of the host over https",
      async () => {
        const { gnu, netkit } = await run({
          args: [
            "https://site.test/t.txt",
            "http://site.test/a.html",
            "http://www.site.test/t.txt",
            `http://site.test:${P}/t.txt`,
            "http://plain.test/t.txt",
            "http://plain.test/go",
          ],
        }, "plain download");
        assert.ok(gnu.requests.includes("https://site.test/a.html"), gnu.requests.join("\n"));
        assert.equal(gnu.store, storeText("site.test\t0\t1\tNOW\t3600"));
        assert.deepEqual(netkit.log, gnu.log);
        assert.ok(gnu.log.includes("URL transformed to HTTPS due to an HSTS policy"));
      },
    );

    await t.step(
      "--no-check-certificate: an unverified answer counts; an IP address's never",
      async () => {
        const { gnu } = await run({
          args: [
            "--no-check-certificate",
            `https://${a}/t.txt`,
            "https://site.test/b.html",
            "http://site.test/t.txt",
          ],
        }, "--no-check-certificate");
        assert.ok(gnu.requests.includes(`https://${a}/t.txt`), gnu.requests.join("\n"));
        assert.equal(gnu.store, storeText("site.test\t0\t1\tNOW\t3600"));
      },
    );

    await t.step("Strict-Transport-Security headers read as GNU reads them", async () => {
      const headers = [
        'max-age="100"; includeSubDomains',
        "includeSubDomains; max-age=50",
        "max-age=10; max-age=20",
        "MAX-AGE=30;INCLUDESUBDOMAINS",
        "max-age=40 junk; includesubdomains",
        ";max-age=5",
        "max-age",
        "foo bar; max-age=5",
        'max-age="7',
        'max-age="8"x; includeSubDomains',
        "max-age=+9",
        "max-age=-9",
        "max-age=99999999999999999999999",
        "max-age = 11 ; includeSubDomains=no",
      ];
      for (const header of headers) {
        await run({
          args: [`https://plain.test/sts/${encodeURIComponent(header)}`, "http://plain.test/t.txt"],
        }, `Strict-Transport-Security: ${header}`);
      }
    });

    await t.step(
      "the next run: its store upgrades the host, a subdomain, an explicit port",
      async () => {
        const { gnu, netkit } = await run({
          store: storeText(known, `site.test\t${S}\t0\t$PAST\t3600`),
          args: [
            "-nv",
            "http://site.test/t.txt",
            "http://www.site.test/b.html",
            `http://site.test:${S}/port.html`,
            `http://site.test:${P}/b.html`,
            "http://plain.test/r.html",
          ],
        }, "second run");
        assert.ok(
          gnu.requests.includes(`https://site.test:${S}/port.html`),
          gnu.requests.join("\n"),
        );
        // -nv names the URL as written.
        const urlLines = (stderr: string) =>
          stderr.split("\n").filter((line) => line.includes("URL:")).map((line) =>
            line.replace(/^\S+ \S+ /, "")
          );
        assert.deepEqual(urlLines(netkit.stderr), urlLines(gnu.stderr));
      },
    );

    await t.step(
      "-r -H across hosts: links to http:// URLs of the HSTS host go over https",
      async () => {
        await run({
          args: [
            "-r",
            "-H",
            "-D",
            "site.test,plain.test",
            "-l",
            "2",
            "https://site.test/index.html",
          ],
        }, "-r");
      },
    );

    await t.step(
      "GNU 1.21.3's matching: the closest parent domain only, never a top-level one",
      async () => {
        const { gnu } = await run({
          store: storeText(known, "www.site.test\t0\t0\t$PAST\t3600", "test\t0\t1\t$PAST\t3600"),
          args: [
            "http://x.www.site.test/t.txt",
            "http://plain.test/t.txt",
            "http://www.site.test/b.html",
          ],
        }, "closest parent");
        assert.ok(gnu.requests.includes("http://x.www.site.test/t.txt"), gnu.requests.join("\n"));
      },
    );

    await t.step(
      "a store of many hosts: the same entries after 45 hosts and a removal",
      async () => {
        const many = Array.from(
          { length: 45 },
          (_, i) => `h${i}.example\t${i % 3 ? 0 : 8000 + i}\t${i % 2}\t$PAST\t${1000 + i}`,
        );
        const { gnu, netkit, past } = await run({
          store: storeText(
            ...many.slice(0, 20),
            "old.test\t0\t0\t100\t5",
            ...many.slice(20),
            known,
          ),
          args: ["http://old.test/t.txt", "https://site.test/t.txt"],
        }, "many hosts");
        // old.test expired and left; site.test renewed; the 45 others as they were.
        const expected = [
          ...many.map((line) => line.replace("$PAST", String(past))),
          "site.test\t0\t1\tNOW\t3600",
        ].sort();
        assert.deepEqual(entryLines(gnu.store), expected);
        assert.deepEqual(entryLines(netkit.store), expected);
      },
    );

    await t.step("-m -H with a store of the host already", async () => {
      await run({
        store: storeText(known),
        args: ["-m", "-H", "-D", "site.test,plain.test", "http://plain.test/p.html"],
      }, "-m");
    });

    await t.step("--protocol-directories: an upgraded URL's file under https/", async () => {
      const { gnu } = await run({
        store: storeText(known),
        args: ["-x", "--protocol-directories", "http://site.test/t.txt", "http://plain.test/t.txt"],
      }, "-x --protocol-directories");
      assert.ok(
        gnu.files.some((file) => file.startsWith("https/site.test/t.txt")),
        gnu.files.join("\n"),
      );
      await run({
        store: storeText(known),
        args: [
          "-r",
          "-l",
          "1",
          "-k",
          "-H",
          "-D",
          "site.test,plain.test",
          "--protocol-directories",
          "http://plain.test/p.html",
        ],
      }, "-r --protocol-directories");
    });

    await t.step(
      "-p -k: requisites of the HSTS host over https, links converted alike",
      async () => {
        await run({
          store: storeText(known),
          args: ["-p", "-k", "-H", "http://plain.test/req.html"],
        }, "-p -k");
      },
    );

    await t.step(
      "--no-hsts, -e hsts=off, .wgetrc's hsts = off: plain http, the store untouched",
      async () => {
        for (const args of [["--no-hsts"], ["-e", "hsts=off"], []]) {
          await run({
            store: storeText(known),
            ...(args.length === 0 ? { wgetrc: "hsts = off\n" } : {}),
            args: [...args, "http://site.test/t.txt", "https://plain.test/t.txt"],
          }, `off: ${args.join(" ")}`);
        }
      },
    );

    await t.step("--hsts-file and .wgetrc's hsts_file name the store", async () => {
      await run({
        store: storeText(known),
        storePath: "elsewhere",
        args: [
          "--hsts-file=../home/elsewhere",
          "http://site.test/t.txt",
          "https://site.test/zero.html",
        ],
      }, "--hsts-file");
      await run({
        store: storeText(known),
        storePath: "rc-store",
        prepare: (home) =>
          Deno.writeTextFileSync(`${home}/.wgetrc`, `hsts_file = ${home}/rc-store\n`),
        args: ["http://site.test/t.txt", "http://www.site.test/t.txt"],
      }, "hsts_file");
    });

    await t.step("a store with odd lines is read and written back as GNU's", async () => {
      await run({
        store: [
          "# a comment",
          "   # an indented comment",
          "",
          "Site.Test\t0\t1\t$PAST\t3600",
          "dup.test\t0\t0\t100\t5",
          "dup.test\t0\t1\t200\t5",
          "127.0.0.1\t0\t0\t100\t5",
          "neg.test\t0\t0\t100\t-5",
          "short.test 0 1",
          "p443.test\t443\t0\t100\t5",
          "spaces.test   8443   1   100   99999999999 trailing words",
          "old.test\t0\t0\t100\t5",
          "plain.test\t0\t0\t100\t5",
          "",
        ].join("\n"),
        args: [
          "http://old.test/t.txt",
          "https://site.test/t.txt",
          "http://www.site.test/t.txt",
          "http://plain.test/b.html",
        ],
      }, "odd store");
    });

    await t.step(
      "max-age=0 removes the host; a header without max-age changes nothing",
      async () => {
        const { gnu, netkit } = await run({
          store: storeText(known, "plain.test\t0\t0\t$PAST\t3600"),
          args: [
            "https://site.test/bad.html",
            "https://site.test/zero.html",
            "http://site.test/t.txt",
            "http://www.site.test/t.txt",
          ],
        }, "max-age=0");
        assert.deepEqual(netkit.log, gnu.log);
        assert.ok(gnu.log.includes("Could not parse Strict-Transport-Security header"));
      },
    );

    await t.step("a store another run changed meanwhile is merged as GNU merges it", async () => {
      let home = "";
      const base = Math.floor(Date.now() / 1000);
      servers.onTouch = () => {
        const now = Math.floor(Date.now() / 1000);
        Deno.writeTextFileSync(
          `${home}/.wget-hsts`,
          storeText(
            `merged.test\t0\t0\t${base - 50}\t1000`,
            `site.test\t0\t0\t${base + 1000}\t7200`,
            `sub.site.test\t0\t0\t${base - 50}\t1000`,
            `plain.test\t${S}\t1\t${base - 50}\t1000`,
          ),
        );
        Deno.utimeSync(`${home}/.wget-hsts`, now + 10, now + 10);
      };
      try {
        await run({
          store: storeText(known, "kept.test\t0\t0\t$PAST\t500"),
          prepare: (h) => (home = h),
          args: ["https://site.test/touch.html", "https://www.site.test/t.txt"],
        }, "merged");
      } finally {
        servers.onTouch = undefined;
      }
    });

    await t.step(
      "a world-writable store is not used; one that cannot be written is left",
      async () => {
        const { gnu, netkit } = await run({
          store: storeText(known),
          storeMode: 0o666,
          args: ["http://site.test/t.txt", "https://site.test/b.html"],
        }, "world-writable");
        const notices = (stderr: string) =>
          stderr.split("\n").filter((line) => /HSTS/.test(line))
            .map((line) => line.replace(/\/(gnu|netkit)\//, "/TOOL/"));
        assert.equal(notices(gnu.stderr).length, 2, gnu.stderr);
        assert.deepEqual(notices(netkit.stderr), notices(gnu.stderr));
        await run({
          args: ["--hsts-file=../home/missing/store", "https://site.test/t.txt"],
        }, "unwritable");
        // A read-only home: the store is used, and left as it was, silently.
        const readOnly = await run({
          store: storeText(known),
          readOnlyHome: true,
          args: [
            "http://site.test/t.txt",
            "https://site.test/b.html",
            "https://www.site.test/t.txt",
          ],
        }, "read-only home");
        assert.ok(readOnly.gnu.requests.includes("https://site.test/t.txt"));
        assert.equal(readOnly.gnu.store, storeText(`site.test\t0\t1\t${readOnly.past}\t3600`));
        assert.doesNotMatch(readOnly.netkit.stderr, /HSTS (store|database)/);
      },
    );
  },
});
