/**
 * The accept loop of the harness's raw test servers: each connection served by its own task,
 * numbered from 1 in the order accepted, closed when its task ends; the open ones closed and
 * their tasks awaited on a reset or at the end, so Deno's sanitizers see nothing left.
 *
 * @module
 */

/** A listener's connections being served. */
export interface AcceptLoop {
  /** How many connections were accepted (since the last reset). */
  readonly count: number;
  /** Closes the open connections, waits for their tasks, and counts from 1 again. */
  reset(): Promise<void>;
  /** Closes the listener and the open connections, and waits for every task. */
  close(): Promise<void>;
}

/** Closes `conn`, ignoring a connection already closed. */
function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch {
    // Closed already.
  }
}

/**
 * Accepts `listener`'s connections until it is closed, serving each with `serve(conn, number)`;
 * a task's failure only ends its connection.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { acceptConnections } from "./accept_loop.ts";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const loop = acceptConnections(listener, async (conn, number) => {
 *   await conn.write(new TextEncoder().encode(`${number}\n`));
 * });
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * const buffer = new Uint8Array(8);
 * const read = await conn.read(buffer);
 * assert.equal(new TextDecoder().decode(buffer.subarray(0, read ?? 0)), "1\n");
 * conn.close();
 * await loop.close();
 * ```
 */
export function acceptConnections(
  listener: Deno.Listener,
  serve: (conn: Deno.Conn, number: number) => Promise<void>,
): AcceptLoop {
  const open = new Set<Deno.Conn>();
  const tasks = new Set<Promise<void>>();
  let count = 0;
  const closeOpen = async () => {
    for (const conn of open) closeQuietly(conn);
    await Promise.allSettled([...tasks]);
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      count++;
      open.add(conn);
      const task = serve(conn, count).catch(() => {}).finally(() => {
        open.delete(conn);
        closeQuietly(conn);
      });
      tasks.add(task);
      task.finally(() => tasks.delete(task));
    }
  })().catch(() => {});
  return {
    get count() {
      return count;
    },
    async reset() {
      await closeOpen();
      count = 0;
    },
    async close() {
      listener.close();
      for (const conn of open) closeQuietly(conn);
      await accepting;
      await Promise.allSettled([...tasks]);
    },
  };
}
