/**
 * Test helpers for real peers: finding installed programs, free loopback ports, starting a
 * server process and waiting until it accepts connections, and registering tests that are
 * ignored, with the reason in their name, when a peer is missing.
 *
 * @module
 */

import { reservePort } from "./reserved_port.ts";

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

/**
 * A free TCP port on loopback, for peers that cannot be told to pick one themselves. Free only at
 * that moment: a peer to be started on it is better given {@linkcode holdFreePort}'s, held until
 * it listens ({@linkcode startPeerOnFreePort} does).
 */
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

/**
 * Another process listens on an address and port the peer was to listen on: connections there
 * could reach it, not the peer. The peer is stopped, and the starters start it again on another
 * port, as after {@linkcode PeerExitedError}.
 */
export class PortTakenError extends PeerExitedError {}

/** How long a peer may take to listen, on a loaded machine. */
const PEER_LISTENS_WITHIN_MS = 30_000;

/**
 * An address a peer listens on: an IP literal (`127.0.0.1`, `::1`) and a port, over TCP (a
 * listening socket) or UDP (a bound one: a DNS server's).
 */
export interface Endpoint {
  hostname: string;
  port: number;
  /** @default {"tcp"} */
  transport?: "tcp" | "udp";
}

/**
 * An IP literal as /proc/net/tcp (8 hex digits) or tcp6 (32) writes a socket's address: each
 * 32-bit word in the machine's (little-endian) order. Undefined for a name (`localhost`).
 */
function procAddress(hostname: string): string | undefined {
  const hex = (bytes: number[]) =>
    bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("").toUpperCase();
  const words = (bytes: number[]) =>
    Array.from({ length: bytes.length / 4 }, (_, i) => hex(bytes.slice(i * 4, i * 4 + 4).reverse()))
      .join("");
  const octets = hostname.split(".").map(Number);
  if (octets.length === 4 && octets.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) {
    return words(octets);
  }
  const literal = hostname.replace(/^\[|\]$/g, "");
  if (!/^[0-9a-fA-F:]+$/.test(literal) || !literal.includes(":")) return undefined;
  const [head = "", tail] = literal.split("::");
  const groups = (part: string) => part === "" ? [] : part.split(":").map((g) => parseInt(g, 16));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const all = [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
  if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) return undefined;
  return words(all.flatMap((g) => [g >> 8, g & 0xff]));
}

/** Who listens on an endpoint: sockets the peer holds, and sockets of anyone else. */
interface Listeners {
  ours: number;
  strangers: number;
}

/**
 * Who listens on each of `endpoints` (/proc): the LISTEN sockets on its port and its address (any
 * address, for a name), or for a UDP endpoint the bound UDP sockets, counted as the peer's when
 * process `pid` holds them, else a stranger's;
 * a socket of the peer's on the wildcard address counts as listening on a specific one.
 * Undefined when /proc cannot tell (not Linux, or the process's fds cannot be read).
 */
function listenersOf(pid: number, endpoints: readonly Endpoint[]): Listeners[] | undefined {
  if (Deno.build.os !== "linux") return undefined;
  const wanted = endpoints.map(({ hostname, port, transport = "tcp" }) => ({
    port,
    transport,
    address: procAddress(hostname),
  }));
  // The tables first, the fds after: a socket of the peer's that listens has had its fd since
  // before it listened, so it is never taken for a stranger's.
  const listening: { address: string; port: number; inode: string; transport: string }[] = [];
  const transports = new Set(wanted.map(({ transport }) => transport));
  try {
    for (const transport of transports) {
      for (const table of [`/proc/net/${transport}`, `/proc/net/${transport}6`]) {
        for (const line of Deno.readTextFileSync(table).split("\n").slice(1)) {
          const fields = line.trim().split(/\s+/);
          const [address = "", port = ""] = fields[1]?.split(":") ?? [];
          // TCP: state 0A, LISTEN. UDP: any bound socket (07 unconnected, 01 connected), since
          // a stranger's connected one on the port is given the datagrams from its peer.
          if ((transport === "udp" || fields[3] === "0A") && fields[9]) {
            listening.push({ address, port: parseInt(port, 16), inode: fields[9], transport });
          }
        }
      }
    }
  } catch {
    return undefined;
  }
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
    // The process is gone (its end is seen next) or not ours to read: nothing told.
    return undefined;
  }
  return wanted.map(({ port, address, transport }) => {
    const counts: Listeners = { ours: 0, strangers: 0 };
    for (const socket of listening) {
      if (socket.port !== port || socket.transport !== transport) continue;
      const wildcard = /^0+$/.test(socket.address);
      if (held.has(socket.inode)) {
        if (address === undefined || socket.address === address || wildcard) counts.ours++;
      } else if (address === undefined ? false : socket.address === address) {
        // A stranger on the wildcard address gets none of the connections to a specific one
        // the peer listens on; one on that address itself would get them (or some of them).
        counts.strangers++;
      }
    }
    return counts;
  });
}

/** A started peer process; disposing it kills it and waits for it to end. */
export interface PeerProcess extends AsyncDisposable {
  /** The child process. */
  child: Deno.ChildProcess;
}

/**
 * Starts a peer in the foreground (`--no-daemon`, `daemon off;`, …), its output discarded, and
 * waits until it listens on `hostname:port` itself, or on every one of `port`'s endpoints when it
 * is a list (nothing is waited for when `port` is undefined).
 *
 * Ready means the peer's own process holds a socket listening on each address and port (/proc),
 * and nobody else listens there: not only that a connection goes through, which a stranger on
 * the port could answer. A port from {@linkcode freePort} can be given to anything on the machine
 * that binds port 0 before the peer binds it (another test file of a parallel run, another suite);
 * it can still be held for a moment by a copy of the probe's socket in a child another test
 * file's worker is spawning (the copy lives until that child's exec); and a peer that listens on
 * several addresses (nginx: 127.0.0.1 and ::1) can hold one of them while another process holds
 * the other, and retry its bind for seconds. A peer that ends before it listens throws
 * {@linkcode PeerExitedError}, at once; one whose address is a stranger's throws
 * {@linkcode PortTakenError} (a PeerExitedError), at once, after stopping it; the starters retry
 * both with another port ({@linkcode retryPeerStart}, {@linkcode startPeerOnFreePort}).
 */
export async function startPeer(
  argv: string[],
  port?: number | readonly Endpoint[],
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
 * Waits until `child` itself listens on `hostname:port`, or on each of `port`'s endpoints when it
 * is a list, and nobody else does (/proc; see {@linkcode startPeer}), up to 30 s; throws
 * {@linkcode PeerExitedError} if it ends first (most often: its port was taken), and
 * {@linkcode PortTakenError} as soon as another process listens on one of the endpoints.
 */
export async function waitUntilListening(
  child: Deno.ChildProcess,
  program: string,
  port: number | readonly Endpoint[],
  hostname = "127.0.0.1",
): Promise<void> {
  const endpoints = typeof port === "number" ? [{ hostname, port }] : port;
  const where = endpoints.map((e) => `${e.hostname}:${e.port}`).join(", ");
  let ended: Deno.CommandStatus | undefined;
  child.status.then((status) => ended = status, () => {});
  const deadline = Date.now() + PEER_LISTENS_WITHIN_MS;
  while (true) {
    if (ended) {
      throw new PeerExitedError(
        `${program} ended (code ${ended.code}) before it listened on ${where}`,
      );
    }
    const listeners = listenersOf(child.pid, endpoints);
    if (listeners === undefined && Deno.build.os !== "linux") {
      // No /proc: connections that go through are the best sign there is.
      try {
        for (const { hostname, port, transport } of endpoints) {
          if (transport !== "udp") (await Deno.connect({ hostname, port })).close();
        }
        return;
      } catch {
        // Not yet.
      }
    } else if (listeners !== undefined) {
      const taken = listeners.findIndex(({ strangers }) => strangers > 0);
      if (taken >= 0) {
        const { hostname, port } = endpoints[taken]!;
        throw new PortTakenError(`Another process listens on ${hostname}:${port}, not ${program}`);
      }
      if (listeners.every(({ ours }) => ours > 0)) return;
    }
    if (Date.now() > deadline) throw new Error(`${program} does not listen on ${where}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Runs `start` (which picks its ports afresh each time) again when the peer ended before it
 * listened, or another process listens on its port ({@linkcode PeerExitedError},
 * {@linkcode PortTakenError}: its port was taken), up to `attempts` times.
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
 * A port of `hostname` found free and held until disposal so that nothing else is given it
 * ({@linkcode reservePort}: a bound socket that does not listen, which the peer can still bind
 * and listen on); where it cannot be held (not Linux, no FFI, an IPv6 address), a port found free
 * ({@linkcode freePort}), held by nothing.
 */
export function holdFreePort(hostname = "127.0.0.1"): Disposable & { port: number } {
  if (Deno.build.os === "linux" && !hostname.includes(":")) {
    try {
      return reservePort(hostname);
    } catch {
      // No FFI: found free, not held.
    }
  }
  return { port: freePort(hostname), [Symbol.dispose]() {} };
}

/** Options of {@linkcode startPeerOnFreePort}. */
export interface FreePortOptions {
  /**
   * The addresses the peer listens on with that port, each checked as its own (the first is the
   * one the port is found free on). @default {["127.0.0.1"]}
   */
  hostnames?: readonly string[];
}

/**
 * {@linkcode startPeer} on a port found free, for a peer that must be told its port (nginx, redis,
 * tinyproxy, openssl s_server): `argvFor(port)` gives its command line (and may write its config).
 * The port is held while the peer starts ({@linkcode holdFreePort}), so that nothing that binds
 * port 0 is given it; one taken all the same (by someone who found it free before it was held)
 * makes the peer end, or is seen to be another process's ({@linkcode PortTakenError}), and the
 * peer is started again on another port ({@linkcode retryPeerStart}).
 */
export function startPeerOnFreePort(
  argvFor: (port: number) => string[] | Promise<string[]>,
  options: FreePortOptions = {},
): Promise<PeerProcess & { port: number }> {
  const hostnames = options.hostnames ?? ["127.0.0.1"];
  return retryPeerStart(async () => {
    using held = holdFreePort(hostnames[0]);
    const { port } = held;
    const endpoints = hostnames.map((hostname) => ({ hostname, port }));
    return Object.assign(await startPeer(await argvFor(port), endpoints), { port });
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
