/**
 * How many DNS questions are on their sockets at once: at most a quarter of the process's
 * descriptor limit (its soft `RLIMIT_NOFILE`, from `/proc/self/limits`), the others waiting
 * their turn in the order they were asked. Each question holds a socket (a random source port for
 * each, or for the A and AAAA pair of `lookupAddresses`, as glibc's); a program that starts
 * thousands of lookups at once would
 * otherwise use up its descriptors: its own questions would fail with EMFILE (glibc's
 * getaddrinfo gives `EAI_SYSTEM` then, `Deno.resolveDns` an io error), and so would whatever
 * else it opens -- Deno itself, which can then panic. `node:dns`'s `lookup` queues too (libuv's
 * thread pool). A question's own time (`attemptTimeoutMs`) starts when it is sent; the whole
 * lookup's deadline (`timeoutMs`) and the caller's `signal` count the wait. A question over
 * resolv.conf's `attempts` keeps one socket a server between its tries (`KeptSockets`), and the
 * pair of `lookupAddresses` shares one a server (`PairSockets`): such sockets hold one slot
 * between them, taken by their first question and given back when they are closed (their other
 * questions take none, so that none waits for a slot while holding one), at most three (glibc's
 * MAXNS) for that slot: three quarters of the limit at worst.
 *
 * @module
 */

/** The limit assumed where `/proc/self/limits` cannot be read: the usual soft limit. */
const DEFAULT_DESCRIPTOR_LIMIT = 1024;

/**
 * Questions that go out without the limit read: a lookup's A and AAAA and a few more (a process
 * with fewer than 16 descriptors cannot run Deno).
 */
const UNCOUNTED_SLOTS = 4;

/** Questions on their sockets now. */
let inFlight = 0;
/** The most at once, worked out at the first question. */
let maxInFlight: number | undefined;
/** Questions waiting for a slot, first asked first. */
const waiting: (() => void)[] = [];

/**
 * The soft limit of open files from `/proc/self/limits` where Deno may read it (the permission
 * is asked, never prompted for), else {@linkcode DEFAULT_DESCRIPTOR_LIMIT}.
 */
function descriptorLimit(): number {
  const path = "/proc/self/limits";
  try {
    if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") {
      return DEFAULT_DESCRIPTOR_LIMIT;
    }
    const line = Deno.readTextFileSync(path).split("\n").find((l) =>
      l.startsWith("Max open files")
    );
    const soft = Number(line?.slice("Max open files".length).trim().split(/\s+/)[0]);
    return Number.isSafeInteger(soft) && soft > 0 ? soft : DEFAULT_DESCRIPTOR_LIMIT;
  } catch {
    return DEFAULT_DESCRIPTOR_LIMIT;
  }
}

/**
 * The number of questions allowed on their sockets at once: a quarter of the descriptor limit,
 * at least one.
 */
export function questionSlots(): number {
  return maxInFlight ??= Math.max(1, Math.floor(descriptorLimit() / 4));
}

/** Gives the slot back: the first question waiting, if any, takes it. Harmless twice. */
const releaser = (function releaser(): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };
}).bind(undefined);

/**
 * A slot for one question at once (its release function), or undefined when all are taken:
 * then {@linkcode waitForQuestionSlot}. No promise on the usual path, where a slot is free.
 */
export function takeQuestionSlot(): (() => void) | undefined {
  return takeQuestionSlotBody();
}

/** {@linkcode takeQuestionSlot}'s body, compiled with its module (README.md, start-up). */
const takeQuestionSlotBody = (function takeQuestionSlot(): (() => void) | undefined {
  // The limit is read only when more than a lookup's few questions are out: a program that asks
  // one name at a time (a command's one lookup) never reads it.
  if (inFlight >= UNCOUNTED_SLOTS && inFlight >= questionSlots()) return undefined;
  inFlight++;
  return releaser();
}).bind(undefined);

/**
 * Waits for a slot, in turn; rejects with `signal`'s reason if it aborts first (the place in
 * the queue given up).
 */
export function waitForQuestionSlot(signal: AbortSignal | undefined): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const granted = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve(releaser());
    };
    const onAbort = () => {
      const at = waiting.indexOf(granted);
      if (at >= 0) waiting.splice(at, 1);
      reject(signal?.reason);
    };
    if (signal?.aborted) return reject(signal.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    waiting.push(granted);
  });
}
