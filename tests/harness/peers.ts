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
  python3: "python3",
  gcc: "gcc",
  tmux: "tmux",
  telnetd: "inetutils-telnetd",
  "inetutils-telnet": "inetutils-telnet",
  busybox: "busybox-static", // Debian's busybox package has no telnetd applet
  tinyproxy: "tinyproxy",
  wrk: "wrk", // bench/lexical_server.ts
  // Headless, loading lexical-server's JSON: ~220 MB with its libraries, about 10 s to install
  // from a warm mirror (8 s here, with --no-install-recommends).
  chromium: "chromium",
};

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

/** Waits until something accepts TCP connections on `hostname:port`, up to `timeoutMs`. */
export async function waitForPort(
  port: number,
  hostname = "127.0.0.1",
  timeoutMs = 10_000,
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

/** A started peer process; disposing it kills it and waits for it to end. */
export interface PeerProcess extends AsyncDisposable {
  /** The child process. */
  child: Deno.ChildProcess;
}

/**
 * Starts a peer in the foreground (`--no-daemon`, `daemon off;`, …), its output discarded, and
 * waits until it accepts TCP connections on `port` (skipped when `port` is undefined).
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
      await waitForPort(port, hostname);
    } catch (error) {
      await stop();
      throw error;
    }
  }
  return { child, [Symbol.asyncDispose]: stop };
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
