/**
 * Test helpers for real peers: finding installed programs, free loopback ports, starting a
 * server process and waiting until it accepts connections, and registering tests that are
 * ignored, with the reason in their name, when a peer is missing.
 *
 * @module
 */

/** The programs the tests use, and the Debian package each comes from. */
export const PEER_PACKAGES: Record<string, string> = {
  nginx: "nginx",
  xinetd: "xinetd",
  "redis-server": "redis-server",
  dnsmasq: "dnsmasq",
  dig: "dnsutils",
  curl: "curl",
  wget: "wget",
  nc: "netcat-openbsd",
  openssl: "openssl",
  // libfaketime's wrapper: a peer (xinetd, time-server, time-client) run at a clock's edge.
  faketime: "faketime",
  python3: "python3",
  gcc: "gcc",
  tmux: "tmux",
  telnetd: "inetutils-telnetd",
  "inetutils-telnet": "inetutils-telnet",
  busybox: "busybox-static", // Debian's busybox package has no telnetd applet
  tinyproxy: "tinyproxy",
  // File servers whose directory listings `wget -r` walks (tests/cmd/wget-recursive-listings_test.ts;
  // each test runs its own instance: a system one the package may start is never used).
  apache2: "apache2",
  lighttpd: "lighttpd",
  wrk: "wrk", // bench/lexical_server.ts
  // Headless, loading lexical-server's JSON: ~220 MB with its libraries, about 10 s to install
  // from a warm mirror (8 s here, with --no-install-recommends).
  chromium: "chromium",
};

/**
 * Real documentation trees the `wget -r` side-by-side tests mirror as sites whose markup no
 * generator made, by the directory each Debian package installs, and the package (each under
 * 2 MB, without dependencies).
 */
export const PEER_DOCUMENTS: Record<string, string> = {
  // GNU diffutils' manual: texinfo's HTML, one page a node, ~110 pages, meta-refresh stubs.
  "/usr/share/doc/diffutils": "diffutils-doc",
  // aptitude's manual: DocBook's HTML, ~90 pages with screenshots, icons and a stylesheet.
  "/usr/share/doc/aptitude/html/en": "aptitude-doc-en",
};

/** The first of `directories` (keys of {@linkcode PEER_DOCUMENTS}) without an index.html. */
export function missingDocument(directories: string[]): string | undefined {
  return directories.find((directory) => {
    try {
      return !Deno.statSync(`${directory}/index.html`).isFile;
    } catch {
      return true;
    }
  });
}

const SEARCH_PATH = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

/** The full path of an installed program, or undefined. */
export function peerPath(command: string): string | undefined {
  const dirs = [...(Deno.env.get("PATH") ?? "").split(":"), ...SEARCH_PATH];
  for (const dir of dirs) {
    if (!dir) continue;
    try {
      const info = Deno.statSync(`${dir}/${command}`);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return `${dir}/${command}`;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** The first of `commands` that is not installed, or undefined when all are. */
export function missingPeer(commands: string[]): string | undefined {
  return commands.find((command) => !peerPath(command));
}

/**
 * Registers a test that needs real peers. When one is missing the test is ignored and its name
 * says why, so a run without the peer never counts it as passed.
 */
export function peerTest(
  name: string,
  peers: string[],
  fn: (t: Deno.TestContext) => Promise<void> | void,
): void {
  const missing = missingPeer(peers);
  Deno.test({
    name: missing ? `${name} (ignored: "${missing}" is not installed)` : name,
    ignore: missing !== undefined,
    fn,
  });
}

/** A free TCP port on loopback, for peers that cannot be told to pick one themselves. */
export function freePort(hostname = "127.0.0.1"): number {
  const listener = Deno.listen({ hostname, port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/**
 * Waits until something accepts TCP connections on `hostname:port`, up to `timeoutMs` (generous:
 * a `deno run` server can take seconds to start on a loaded machine).
 */
export async function waitForPort(
  port: number,
  hostname = "127.0.0.1",
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      const conn = await Deno.connect({ hostname, port });
      conn.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`Nothing listens on ${hostname}:${port}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** A peer that ended before it listened: most often its port was taken (see {@linkcode startPeer}). */
export class PeerExitedError extends Error {}

/** How long a peer may take to listen, on a loaded machine. */
const PEER_LISTENS_WITHIN_MS = 30_000;

/**
 * The inodes of the TCP sockets listening on `port` that process `pid` holds, or undefined when
 * /proc cannot tell (not Linux).
 */
function listeningInodes(pid: number, port: number): Set<string> | undefined {
  if (Deno.build.os !== "linux") return undefined;
  const held = new Set<string>();
  try {
    for (const entry of Deno.readDirSync(`/proc/${pid}/fd`)) {
      try {
        const target = Deno.readLinkSync(`/proc/${pid}/fd/${entry.name}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode) held.add(inode);
      } catch {
        // Closed meanwhile.
      }
    }
  } catch {
    // The process is gone (its end is seen next) or not ours to read: nothing held.
  }
  try {
    const listening = new Set<string>();
    for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      for (const line of Deno.readTextFileSync(table).split("\n").slice(1)) {
        const fields = line.trim().split(/\s+/);
        const localPort = parseInt(fields[1]?.split(":")[1] ?? "", 16);
        // State 0A: LISTEN.
        if (localPort === port && fields[3] === "0A" && held.has(fields[9] ?? "")) {
          listening.add(fields[9]!);
        }
      }
    }
    return listening;
  } catch {
    return undefined;
  }
}

/** A started peer process; disposing it kills it and waits for it to end. */
export interface PeerProcess extends AsyncDisposable {
  /** The child process. */
  child: Deno.ChildProcess;
}

/**
 * Starts a peer in the foreground (`--no-daemon`, `daemon off;`, …), its output discarded, and
 * waits until it listens on `port` itself (skipped when `port` is undefined).
 *
 * Ready means the peer's own process holds a socket listening on the port (/proc), not only that
 * a connection goes through: a port from {@linkcode freePort} can still be held for a moment by a
 * copy of the probe's socket in a child another test file's worker is spawning (the files of a
 * parallel run share one process; the copy lives until that child's exec), and then the peer's
 * bind fails while a connection to the copy succeeds. A peer that ends before it listens throws
 * {@linkcode PeerExitedError}, at once; the starters retry those with another port
 * ({@linkcode retryPeerStart}).
 */
export async function startPeer(
  argv: string[],
  port?: number,
  hostname = "127.0.0.1",
): Promise<PeerProcess> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("The command line is empty");
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    await child.status;
  };
  if (port !== undefined) {
    try {
      await waitUntilListening(child, program, port, hostname);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return { child, [Symbol.asyncDispose]: stop };
}

/**
 * Waits until `child` itself listens on `hostname:port` (/proc; see {@linkcode startPeer}), up to
 * 30 s; throws {@linkcode PeerExitedError} if it ends first (most often: its port was taken).
 */
export async function waitUntilListening(
  child: Deno.ChildProcess,
  program: string,
  port: number,
  hostname: string,
): Promise<void> {
  let ended: Deno.CommandStatus | undefined;
  child.status.then((status) => ended = status, () => {});
  const deadline = Date.now() + PEER_LISTENS_WITHIN_MS;
  while (true) {
    if (ended) {
      throw new PeerExitedError(
        `${program} ended (code ${ended.code}) before it listened on ${hostname}:${port}`,
      );
    }
    const inodes = listeningInodes(child.pid, port);
    if (inodes === undefined) {
      // No /proc: a connection that goes through is the best sign there is.
      try {
        (await Deno.connect({ hostname, port })).close();
        return;
      } catch {
        // Not yet.
      }
    } else if (inodes.size > 0) {
      return;
    }
    if (Date.now() > deadline) throw new Error(`${program} does not listen on ${hostname}:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Runs `start` (which picks its ports afresh each time) again when the peer ended before it
 * listened ({@linkcode PeerExitedError}: its port was taken), up to `attempts` times.
 */
export async function retryPeerStart<T>(start: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (!(error instanceof PeerExitedError) || attempt >= attempts) throw error;
    }
  }
}

/**
 * {@linkcode startPeer} on a port found free, for a peer that must be told its port (nginx, redis,
 * tinyproxy, openssl s_server): `argvFor(port)` gives its command line (and may write its config).
 * A port found free can be taken before the peer binds it; the peer then ends at once, and it is
 * started again on another port ({@linkcode retryPeerStart}).
 */
export function startPeerOnFreePort(
  argvFor: (port: number) => string[] | Promise<string[]>,
): Promise<PeerProcess & { port: number }> {
  return retryPeerStart(async () => {
    const port = freePort();
    return Object.assign(await startPeer(await argvFor(port), port), { port });
  });
}

/** A fresh temporary directory, removed on dispose. */
export async function tempDir(
  prefix = "netkit_test_",
): Promise<AsyncDisposable & { path: string }> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }).catch(() => {}),
  };
}
