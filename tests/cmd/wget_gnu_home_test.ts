/**
 * wget's home directory against GNU Wget 1.21.3's, run side by side: `~/.wgetrc` and `~/.netrc`
 * come from `$HOME`, or from the user's /etc/passwd entry when HOME is unset (GNU's home_dir; run
 * as root in a mount namespace with a copy of /etc/passwd whose entry for the user names the tool's
 * own directory, bind-mounted over /etc/passwd; ignored, with the reason, where that cannot run),
 * and from `/` when HOME is set but empty; a `.wgetrc` line's leading `~/` in a file setting is
 * that home (GNU's setval_internal_tilde), an `-e` command's is not.
 */

import { deepEqual, equal } from "node:assert/strict";
import { missingPeer, peerTest, tempDir } from "../harness/peers.ts";
import { type RecordingServer, startRecordingServer } from "../harness/recording_http_server.ts";
import { etcNamespaceUnavailable } from "../harness/etc_namespace.ts";
import { assertSame, type Case, type Outcome, runTool } from "../harness/wget_side_by_side.ts";
import { commandArgs } from "../harness/run.ts";

/** A server with a page, and `/auth` behind Basic u:p. */
function startServer() {
  return startRecordingServer({
    handle: (request) => {
      const auth = request.headers.find(([name]) => name.toLowerCase() === "authorization");
      if (request.target === "/auth" && auth?.[1] !== "Basic dTpw") {
        return { status: 401, headers: [["WWW-Authenticate", 'Basic realm="r"']], body: "" };
      }
      return { body: `${request.target}\n` };
    },
  });
}

/**
 * Runs `job` with GNU wget, then netkit's, each in a directory of its own, and asserts the same
 * exit code, files and requests (method, target, Authorization); returns both outcomes.
 */
async function compare(dir: string, server: RecordingServer, job: Case, what: string) {
  const caseDir = await Deno.makeTempDir({ dir });
  const seen = () =>
    server.requests.map((request) =>
      `${request.method} ${request.target} ${
        request.headers.find(([name]) => name.toLowerCase() === "authorization")?.[1] ?? ""
      }`
    );
  const before = server.requests.length;
  const gnu = await runTool("gnu", caseDir, undefined, job);
  const middle = server.requests.length;
  const netkit = await runTool("netkit", caseDir, undefined, job);
  const both = { gnu, netkit };
  // A cookie file says when it was written.
  for (const outcome of [gnu, netkit]) {
    if (outcome.files["jar.txt"] !== undefined) outcome.files["jar.txt"] = "(there)";
  }
  assertSame(both, what);
  deepEqual(seen().slice(middle), seen().slice(before, middle), `requests: ${what}`);
  return both;
}

/**
 * The argv prefix that runs a tool with HOME unset and, in /etc/passwd, its own directory (the
 * working directory) as the user's home.
 */
const PASSWD_HOME = [
  "unshare",
  "-m",
  "sh",
  "-c",
  'p=$(mktemp) && awk -F: -v OFS=: -v u="$(id -u)" -v h="$PWD" \'$3 == u { $6 = h } 1\' ' +
  '/etc/passwd > "$p" && mount --bind "$p" /etc/passwd && rm -f "$p" && exec env -u HOME "$@"',
  "sh",
];

const NAMESPACE = etcNamespaceUnavailable(["awk"]) ?? missingPeer(["wget"]);

Deno.test({
  name: "wget without HOME reads ~/.wgetrc and ~/.netrc from the passwd entry's home, as GNU wget" +
    (NAMESPACE ? ` (ignored: ${NAMESPACE})` : ""),
  ignore: NAMESPACE !== undefined,
  async fn() {
    await using dir = await tempDir();
    await using server = startServer();
    const cases: Case[] = [
      {
        args: [`${server.base}/page`],
        files: { ".wgetrc": "output_document = from-rc.txt\nquiet = on\n" },
        wrapper: PASSWD_HOME,
      },
      {
        args: ["-q", `${server.base}/auth`],
        files: { ".netrc": "machine 127.0.0.1 login u password p\n" },
        wrapper: PASSWD_HOME,
      },
      {
        // A .wgetrc line's ~/ is that home too.
        args: [`${server.base}/page`],
        files: { ".wgetrc": "output_document = ~/tilde.txt\nquiet = on\n" },
        wrapper: PASSWD_HOME,
      },
    ];
    for (const job of cases) {
      const what = `${job.args.join(" ")} with ${JSON.stringify(job.files)}`;
      const both = await compare(dir.path, server, job, what);
      equal(both.gnu.code, 0, both.gnu.stderr);
    }
  },
});

peerTest(
  "wget with a .wgetrc's ~/ in file settings writes, reads and logs where GNU wget does",
  ["wget"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const url = `${server.base}/page`;
    const rc = (text: string, home = "$CWD"): Pick<Case, "files" | "env"> => ({
      files: { ".wgetrc": text, "urls.txt": `${server.base}/listed\n` },
      env: { HOME: home },
    });
    const cases: Case[] = [
      { args: ["-q", url], ...rc("output_document = ~/tilde.txt\n") },
      // GNU drops the home's trailing slashes and the value's run of slashes after the ~.
      { args: ["-q", url], ...rc("output_document = ~///tilde.txt\n", "$CWD//") },
      { args: ["-q", url], ...rc("logfile = ~/log.txt\n") },
      { args: ["-q"], ...rc("input = ~/urls.txt\n") },
      { args: ["-q", url], ...rc("save_cookies = ~/jar.txt\n") },
      { args: ["-q", url], ...rc("dir_prefix = ~/pre/\n") },
      // Not ~user, not ~ alone, not in the middle.
      { args: ["-q", url], ...rc("output_document = ~tilde.txt\n") },
      // -e takes the value as it is: GNU writes below a directory named ~, which is not there.
      { args: ["-q", "-e", "output_document=~/tilde.txt", url], ...rc("") },
    ];
    for (const job of cases) {
      const what = `${job.args.join(" ")} with ${JSON.stringify(job.files?.[".wgetrc"])}`;
      const both = await compare(dir.path, server, job, what);
      if (job.files![".wgetrc"]!.startsWith("dir_prefix")) {
        const listing = (outcome: Outcome) =>
          [...Deno.readDirSync(`${outcome.dir}/pre`)].map((entry) => entry.name);
        deepEqual(listing(both.netkit), listing(both.gnu), what);
        deepEqual(listing(both.gnu), ["page"], what);
      }
    }
  },
);

peerTest(
  "wget with HOME set but empty looks for /.wgetrc, /.netrc and /.wget-hsts, as GNU wget",
  ["wget", "strace"],
  async () => {
    await using dir = await tempDir();
    await using server = startServer();
    const looked = async (argv: string[], trace: string) => {
      const output = await new Deno.Command("strace", {
        args: ["-f", "-qq", "-e", "trace=%file", "-o", trace, ...argv, "-q", `${server.base}/x`],
        cwd: dir.path,
        env: { HOME: "", DENO_NO_UPDATE_CHECK: "1" },
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).output();
      equal(output.code, 0, new TextDecoder().decode(output.stderr));
      const text = await Deno.readTextFile(trace);
      return ["/.wgetrc", "/.netrc", "/.wget-hsts"].filter((path) => text.includes(`"${path}"`));
    };
    const gnu = await looked(["wget"], `${dir.path}/gnu.trace`);
    deepEqual(gnu, ["/.wgetrc", "/.netrc", "/.wget-hsts"]);
    const netkit = await looked(
      [Deno.execPath(), ...commandArgs("wget")],
      `${dir.path}/netkit.trace`,
    );
    deepEqual(netkit, gnu);
  },
);
