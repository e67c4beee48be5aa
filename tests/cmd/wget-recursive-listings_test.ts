/**
 * `wget -r` over the directory listings of real file servers, beside GNU wget 1.21 on the same
 * loopback server: Apache httpd's mod_autoindex (Debian's fancy table with icons, sort links,
 * HEADER and README; and Apache's plain list in ISO-8859-1 without FollowSymLinks), lighttpd's
 * mod_dirlisting (its stylesheet a link above the directory), nginx's autoindex and Python's
 * http.server (HTTP/1.0, a connection closed after each answer, no Range). The tree served holds nested and empty directories, names with spaces,
 * `%`, `#`, `?`, `&`, `+`, `;`, UTF-8 and a leading `-`, dot files, a directory's own
 * `index.html`, a symlink to a directory outside the tree and a 3 MB file. The command lines are
 * the everyday ones (`-r -np -nH --cut-dirs=2 -R "index.html*"`, `-m -np`, `-r -l 1 -np -A
 * "*.iso"`, `-r -np -nd -e robots=off`, `-p -k`, a directory URL without its slash), and two runs
 * of `-N` (a file changed, one added) and of `-c` (a file cut short, one removed). Compared: the
 * exit code, every file and directory left (bytes, and mtime: the server's date or a fresh one),
 * the requests in the server's access log in GNU's order, and the log (`-nv`, or the default one)
 * but for the lines of GNU's own documented in cmd/README.md. Where GNU's IRI conversion reads a
 * Latin-1 page's UTF-8 links as Latin-1 (Apache's plain list; the 416 page `-c` meets), the steps
 * assert the documented difference.
 */

import assert from "node:assert/strict";
import { startApache } from "../harness/apache.ts";
import { type LoggingServer, logLength, requestsLoggedSince } from "../harness/access_log.ts";
import { startLighttpd } from "../harness/lighttpd.ts";
import { startNginx, writeBigFile } from "../harness/nginx.ts";
import { peerTest, tempDir } from "../harness/peers.ts";
import { startPythonHttpServer } from "../harness/python_http_server.ts";
import { shapeWgetLog } from "../harness/wget_logs.ts";
import { runWgetLogged } from "../harness/wget_recursive_compare.ts";

/** The date every file of the tree has (a server's Last-Modified, a saved file's mtime). */
const TREE_DATE = new Date("2024-03-04T05:06:07Z");

/** The files of the tree, under `pub/`, by path. */
const TREE_FILES: Record<string, string> = {
  "top.txt": "top\n",
  "other/o.txt": "other\n",
  "dir/a.txt": "a\n",
  "dir/disk.iso": "iso\n",
  "dir/sub/small.iso": "iso2\n",
  "dir/sub/.hidden2": "hidden2\n",
  "dir/sub/deeper/deep.txt": "deep\n",
  "dir/with space/file name.txt": "space\n",
  "dir/100%.txt": "percent\n",
  "dir/a#b.txt": "hash\n",
  "dir/what?.txt": "question\n",
  "dir/a&b.txt": "ampersand\n",
  "dir/c++.txt": "plus\n",
  "dir/x;y.txt": "semicolon\n",
  "dir/caf\u00e9.txt": "e acute\n",
  "dir/\u65e5\u672c/\u8a9e.txt": "japanese\n",
  "dir/-dash.txt": "dash\n",
  "dir/.hidden": "hidden\n",
  "dir/HEADER.html": "<h2>Header of the listing</h2>\n",
  "dir/README.html": "<p>Readme below the listing</p>\n",
  "dir/site/index.html":
    '<html><body><a href="page.html">page</a> instead of a listing</body></html>\n',
  "dir/site/page.html": "<html><body>a page</body></html>\n",
};

/**
 * Writes the tree under `root/pub` (and `outside/outside.txt`, which `pub/dir/outlink` links to),
 * every file and directory dated {@linkcode TREE_DATE}.
 */
async function writeTree(root: string, outside: string): Promise<void> {
  await Deno.mkdir(`${root}/pub/dir/empty`, { recursive: true });
  await Deno.mkdir(outside, { recursive: true });
  await Deno.writeTextFile(`${outside}/outside.txt`, "outside\n");
  for (const [path, text] of Object.entries(TREE_FILES)) {
    const full = `${root}/pub/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  // lighttpd's external stylesheet, above the directory, and the image it names.
  await Deno.mkdir(`${root}/css`);
  await Deno.writeTextFile(`${root}/css/listing.css`, "body { background: url(bg.png) }\n");
  await Deno.writeTextFile(`${root}/css/bg.png`, "not really a PNG\n");
  await writeBigFile(`${root}/pub/dir/big.bin`, 3_000_000);
  await Deno.symlink(outside, `${root}/pub/dir/outlink`);
  await touchAll(root);
  await touchAll(outside);
}

/** Dates every file and directory under `dir` (through symlinks: their targets) TREE_DATE. */
async function touchAll(dir: string): Promise<void> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory) await touchAll(`${dir}/${entry.name}`);
    if (!entry.isSymlink) await Deno.utime(`${dir}/${entry.name}`, TREE_DATE, TREE_DATE);
  }
  await Deno.utime(dir, TREE_DATE, TREE_DATE);
}

/**
 * What a wget left in `dir`: `PATH/` for a directory, `PATH SIZE SHA256 DATE` for a file, DATE
 * the tree's (the server's Last-Modified) or `new` (a listing, which has none), sorted.
 */
async function filesLeft(dir: string): Promise<string[]> {
  const rows: string[] = [];
  const walk = async (relative: string) => {
    for await (const entry of Deno.readDir(relative ? `${dir}/${relative}` : dir)) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        rows.push(`${path}/`);
        await walk(path);
        continue;
      }
      const bytes = await Deno.readFile(`${dir}/${path}`);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      const hex = Array.from(digest.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
      const mtime = (await Deno.lstat(`${dir}/${path}`)).mtime?.getTime();
      const date = mtime === TREE_DATE.getTime() ? TREE_DATE.toISOString() : "new";
      rows.push(`${path} ${bytes.length} ${hex} ${date}`);
    }
  };
  await walk("");
  return rows.sort();
}

/** A server the cases run against. */
interface Served extends LoggingServer {
  origin: string;
  /** The server's tree (changed between the two runs of a case). */
  root: string;
  /** Python's http.server: GNU's "No data received." retries on its closed connections. */
  closesSilently?: boolean;
}

/** What one wget did. */
interface Outcome {
  code: number;
  files: string[];
  requests: string[];
  log: string[];
}

/**
 * The log without what changes from run to run (dates, rates, times) and without GNU's own lines
 * that netkit does not say (cmd/README.md): its failed `pathconf(2)` and mkdir/open calls
 * (`pathconf: Not a directory`, `HOST/a: Not a directory`), `--spider`'s unlink of a file it
 * never wrote, and, on a server that closes its connections silently, its "No data received."
 * and the retry that follows (the try's number).
 */
function shapedLog(stderr: string, served: Served): string[] {
  return shapeWgetLog(stderr)
    .replace(/^Downloaded: (\d+ files?, \S+) in .*$/m, "Downloaded: $1")
    .split("\n")
    .filter((line) =>
      !/^(pathconf: .*|\S.*: Not a directory|unlink: No such file or directory)$/.test(line) &&
      !(served.closesSilently && line === "No data received.")
    )
    .map((line) => served.closesSilently ? line.replace(/ \[\d+\]$/, " [1]") : line);
}

/** Runs GNU wget or netkit's with `args` in `cwd` (made if missing) against `served`. */
async function runOne(tool: string, served: Served, args: string[], cwd: string): Promise<Outcome> {
  await Deno.mkdir(cwd, { recursive: true });
  const from = await logLength(served.log);
  const { code, stderr } = await runWgetLogged(tool, args, cwd, { LC_ALL: "C.UTF-8" });
  return {
    code,
    files: await filesLeft(cwd),
    requests: await requestsLoggedSince(served, from),
    log: shapedLog(stderr, served),
  };
}

/** A case: `wget ARGS URL`, or two runs of it with a change in between. */
interface ListingCase {
  args: string[];
  /** The path asked for (default `/pub/dir/`). */
  path?: string;
  /** Run again after this change to the server's tree. */
  changeServer?: (root: string) => Promise<void>;
  /** Run again after this change to each tool's directory. */
  changeHere?: (here: string) => Promise<void>;
}

/** Runs a case with GNU wget, then netkit's, in `dir/gnu` and `dir/netkit`; both outcomes. */
async function bothOn(
  served: Served,
  dir: string,
  job: ListingCase,
): Promise<{ gnu: Outcome; netkit: Outcome }> {
  const args = [...job.args, `${served.origin}${job.path ?? "/pub/dir/"}`];
  const runs = async (): Promise<{ gnu: Outcome; netkit: Outcome }> => ({
    gnu: await runOne("gnu", served, args, `${dir}/gnu`),
    netkit: await runOne("netkit", served, args, `${dir}/netkit`),
  });
  if (!job.changeServer && !job.changeHere) return await runs();
  const first = await runs();
  assert.deepEqual(first.netkit, first.gnu, "the first run");
  await job.changeServer?.(served.root);
  await job.changeHere?.(`${dir}/gnu`);
  await job.changeHere?.(`${dir}/netkit`);
  return await runs();
}

/** The tree served as a run's copy made it: `HOST/pub/dir/...` under `here`. */
const hostDir = (here: string) => {
  const [host] = [...Deno.readDirSync(here)].filter((entry) => entry.isDirectory);
  return `${here}/${host!.name}`;
};

/** `-N` twice: a file changed on the server between the runs, one added, one changed in size only. */
const TIMESTAMPING_TWICE: ListingCase = {
  args: ["-nv", "-N", "-r", "-np"],
  changeServer: async (root) => {
    await Deno.writeTextFile(`${root}/pub/dir/a.txt`, "changed on the server\n");
    await Deno.writeTextFile(`${root}/pub/dir/new.txt`, "added on the server\n");
    await Deno.writeTextFile(`${root}/pub/dir/sub/small.iso`, "iso2 grown\n");
    await Deno.utime(`${root}/pub/dir/sub/small.iso`, TREE_DATE, TREE_DATE);
  },
};

/** `-c` twice: the big file cut short here, a small one removed. */
const CONTINUED_TWICE: ListingCase = {
  args: ["-nv", "-c", "-r", "-np"],
  changeHere: async (here) => {
    const host = hostDir(here);
    await Deno.truncate(`${host}/pub/dir/big.bin`, 1_000_000);
    await Deno.remove(`${host}/pub/dir/a.txt`);
  },
};

/** The everyday command lines, `-nv`. */
const EVERYDAY: ListingCase[] = [
  { args: ["-nv", "-r", "-np", "-nH", "--cut-dirs=2", "-R", "index.html*"] },
  { args: ["-nv", "-m", "-np"] },
  { args: ["-nv", "-r", "-l", "1", "-np", "-A", "*.iso"] },
  { args: ["-nv", "-r", "-np", "-nd", "-e", "robots=off"] },
];

/** A directory URL without its slash: the 301, then a file where directories go (exit 3 on some). */
const WITHOUT_SLASH: ListingCase = { args: ["-r", "-np"], path: "/pub/dir" };

/**
 * Page requisites of a listing: Apache's icons and lighttpd's stylesheet are above the directory
 * (-np does not keep them out).
 */
const REQUISITES: ListingCase = { args: ["-nv", "-r", "-np", "-p", "-k", "-E"] };

/** Runs `cases` against `served` as steps of `t`, each asserting netkit's outcome is GNU's. */
async function compareCases(
  t: Deno.TestContext,
  served: Served,
  dir: string,
  cases: ListingCase[],
): Promise<void> {
  for (const [index, job] of cases.entries()) {
    const name = `${job.args.join(" ")} ${job.path ?? "/pub/dir/"}${
      job.changeServer || job.changeHere ? " twice" : ""
    }`;
    await t.step(name, async () => {
      const { gnu, netkit } = await bothOn(served, `${dir}/case${index}`, job);
      assert.ok(gnu.files.length >= 3, JSON.stringify(gnu));
      assert.deepEqual(netkit, gnu);
    });
  }
}

/** Makes the tree in `dir/www` (and `dir/outside`), readable by a server that drops root. */
async function servedTree(dir: string): Promise<string> {
  await Deno.chmod(dir, 0o755);
  await writeTree(`${dir}/www`, `${dir}/outside`);
  return `${dir}/www`;
}

peerTest(
  "wget -r over Apache httpd's listings (Debian's fancy table, icons, sort links, HEADER and README; the plain list in ISO-8859-1): GNU wget's files, dates, exit codes, requests and log",
  ["apache2", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const root = await servedTree(dir.path);
    {
      await Deno.mkdir(`${dir.path}/fancy`);
      await using apache = await startApache(`${dir.path}/fancy`, root, {
        fancy: true,
        followSymlinks: true,
      });
      const served = { ...apache, root };
      await compareCases(t, served, `${dir.path}/fancy`, [
        ...EVERYDAY,
        REQUISITES,
        WITHOUT_SLASH,
        TIMESTAMPING_TWICE,
      ]);
      await t.step(
        "-c twice: GNU's IRI conversion after a 416 in Latin-1 (cmd/README.md)",
        async () => {
          const here = `${dir.path}/fancy/continued`;
          const { gnu, netkit } = await bothOn(served, here, CONTINUED_TWICE);
          // A complete listing's 416 page is ISO-8859-1: GNU reads the copy here in that charset,
          // and asks for 日本/'s UTF-8 bytes as Latin-1 characters (404s) before the links as written.
          const mangled = (request: string) => /%C[23]%.* 404$/.test(request);
          assert.ok(gnu.requests.some(mangled), gnu.requests.join("\n"));
          assert.ok(!netkit.requests.some(mangled), netkit.requests.join("\n"));
          // Then GNU saves 日本/'s files anew (200s) under the names it made; netkit's are complete.
          const japanese = (request: string) => request.includes("/%e6%97%a5%e6%9c%ac/");
          assert.ok(gnu.requests.filter(japanese).some((request) => request.endsWith(" 200")));
          assert.ok(netkit.requests.filter(japanese).every((request) => request.endsWith(" 416")));
          assert.deepEqual(
            netkit.requests.filter((request) => !japanese(request)),
            gnu.requests.filter((request) => !mangled(request) && !japanese(request)),
          );
          assert.equal(netkit.code, gnu.code);
        },
      );
    }
    await Deno.mkdir(`${dir.path}/plain`);
    await using apache = await startApache(`${dir.path}/plain`, root);
    const served = { ...apache, root };
    // Apache's own default listing is ISO-8859-1: GNU's IRI conversion asks for the UTF-8 names
    // as if they were Latin-1 (404), before the link as written; --no-iri reads them as netkit.
    await compareCases(t, served, `${dir.path}/plain`, [
      { args: ["--no-iri", ...EVERYDAY[0]!.args] },
      { args: ["--no-iri", "-nv", "-r", "-np", "-nd"] },
    ]);
    await t.step("GNU's IRI conversion on a Latin-1 listing (cmd/README.md)", async () => {
      const { gnu, netkit } = await bothOn(served, `${dir.path}/plain/iri`, {
        args: ["-nv", "-r", "-l", "1", "-np", "-nd", "-A", "*.txt"],
      });
      const latin1 = "caf%C3%83%C2%A9.txt";
      assert.ok(gnu.requests.includes(`GET /pub/dir/${latin1} 404`), gnu.requests.join("\n"));
      assert.ok(gnu.files.some((row) => row.startsWith("caf\u00c3\u00a9.txt ")));
      assert.ok(
        !netkit.requests.some((request) => / 404$/.test(request) && request.includes("caf")),
      );
      assert.ok(netkit.files.some((row) => row.startsWith("caf\u00e9.txt ")));
      // The rest as GNU: its requests but the Latin-1 tries, its files but the name it mangled.
      assert.deepEqual(
        netkit.requests,
        gnu.requests.filter((request) => !/%C[23]%.* 404$/.test(request)),
      );
      assert.equal(netkit.code, gnu.code);
    });
  },
);

peerTest(
  "wget -r over lighttpd's listings: GNU wget's files, dates, exit codes, requests and log",
  ["lighttpd", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const root = await servedTree(dir.path);
    // Its stylesheet a link above the directory, as page requisites find it.
    await using lighttpd = await startLighttpd(dir.path, root, { externalCss: "/css/listing.css" });
    await compareCases(t, { ...lighttpd, root }, dir.path, [
      EVERYDAY[0]!,
      EVERYDAY[2]!,
      REQUISITES,
      WITHOUT_SLASH,
      CONTINUED_TWICE,
    ]);
  },
);

peerTest(
  "wget -r over nginx's autoindex (sizes rounded, local times, UTF-8): GNU wget's files, dates, exit codes, requests and log",
  ["nginx", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const root = await servedTree(dir.path);
    const log = `${dir.path}/nginx-access.log`;
    // nginx serves dir/www: the tree.
    await using nginx = await startNginx(dir.path, {
      httpConfig: `log_format requests '"$request" $status';`,
      serverConfig: `include /etc/nginx/mime.types; access_log ${log} requests;
        autoindex on; autoindex_format html; autoindex_exact_size off; autoindex_localtime on;
        charset utf-8;`,
    });
    await compareCases(
      t,
      { port: nginx.port, origin: `http://127.0.0.1:${nginx.port}`, log, root },
      dir.path,
      [
        EVERYDAY[1]!,
        EVERYDAY[3]!,
        WITHOUT_SLASH,
        TIMESTAMPING_TWICE,
      ],
    );
  },
);

peerTest(
  "wget -r over Python's http.server (HTTP/1.0, closed connections, no Range): GNU wget's files, dates, exit codes, requests and log",
  ["python3", "wget"],
  async (t) => {
    await using dir = await tempDir();
    const root = await servedTree(dir.path);
    await using python = await startPythonHttpServer(dir.path, root);
    // GNU retries a request sent on a connection Python had closed; at once, not a second later.
    const quick = (job: ListingCase): ListingCase => ({
      ...job,
      args: ["--waitretry=0", ...job.args],
    });
    await compareCases(t, { ...python, root, closesSilently: true }, dir.path, [
      quick(EVERYDAY[0]!),
      quick(EVERYDAY[2]!),
      quick(CONTINUED_TWICE),
    ]);
  },
);
