/**
 * A raw-socket HTTP server for tests: it reads one request head and hands the connection to a
 * handler chosen by path, which writes whatever bytes it likes — including what no real server
 * would send (lying lengths, endless headers, stalls).
 *
 * Each connection closes after one reply. A reply a client may follow with another request (a
 * second URL, a retry, a recursion) should say `Connection: close`: HTTP/1.1 keeps a connection
 * open unless told, so a keep-alive client (GNU wget) sends its next request into this one, and
 * whether it sees the server's close first is a race it often loses, more so under load ("No data
 * received.").
 *
 * @module
 */

/** What a handler gets: the path, the request head, and the connection to write to. */
export type RawHandler = (
  conn: Deno.TcpConn,
  request: { path: string; head: string },
) => Promise<void>;

/** A running raw server. */
export interface RawServer extends AsyncDisposable {
  /** The port on 127.0.0.1. */
  port: number;
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** Every request head received, in order. */
  requests: string[];
}

const encoder = new TextEncoder();

/** The reply to a path without a handler; it says the close that follows (see the module's doc). */
const NOT_FOUND = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/** Writes text or bytes fully, ignoring a peer that went away. */
export async function send(conn: Deno.Conn, data: string | Uint8Array): Promise<boolean> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  try {
    let offset = 0;
    while (offset < bytes.length) offset += await conn.write(bytes.subarray(offset));
    return true;
  } catch {
    return false;
  }
}

/** A handler that answers 200 with `body` (`text/html` unless `type` says), then closes. */
export function replyWith(body: string, type = "text/html"): RawHandler {
  const bytes = encoder.encode(body);
  return async (conn) => {
    await send(
      conn,
      `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n`,
    );
    await send(conn, bytes);
  };
}

/** Starts the server; handlers are looked up by exact path (query included). */
export function startRawServer(handlers: Record<string, RawHandler>): RawServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const requests: string[] = [];
  const open = new Set<Deno.TcpConn>();
  const tasks = new Set<Promise<void>>();
  const serveOne = async (conn: Deno.TcpConn) => {
    open.add(conn);
    try {
      const buffer = new Uint8Array(16 * 1024);
      let length = 0;
      let head = "";
      while (length < buffer.length) {
        const n = await conn.read(buffer.subarray(length));
        if (n === null) return;
        length += n;
        head = new TextDecoder().decode(buffer.subarray(0, length));
        if (head.includes("\r\n\r\n")) break;
      }
      requests.push(head);
      const path = head.split(" ")[1] ?? "/";
      const handler = handlers[path];
      if (handler) await handler(conn, { path, head });
      else await send(conn, NOT_FOUND);
    } catch {
      // The client went away; nothing to do.
    } finally {
      open.delete(conn);
      try {
        conn.close();
      } catch {
        // Closed already.
      }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) {
      const task = serveOne(conn);
      tasks.add(task);
      task.finally(() => tasks.delete(task));
    }
  })().catch(() => {});
  return {
    port,
    base: `http://127.0.0.1:${port}`,
    requests,
    async [Symbol.asyncDispose]() {
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch {
          // Closed already.
        }
      }
      await accepting;
      await Promise.allSettled([...tasks]);
    },
  };
}
