/**
 * lexical-server once its command line is read: the first listener in this thread, more in
 * workers with `--listeners N` (reusePort), the lecture's log line on stderr, and a graceful stop on
 * SIGINT or SIGTERM. (The lecture: the networking lecture notes netkit implements.)
 *
 * @module
 */

import { formatHostPort } from "../../lib/net/host_port.ts";
import { shutdownSignal } from "../../lib/process/shutdown_signal.ts";
import type { ListenerConfig } from "./listener.ts";
import type { ListenerCommand, ListenerReport } from "./listener_worker.ts";

/**
 * Serves until SIGINT or SIGTERM with `listeners` listeners on `config`'s port; prints one line
 * for a failure to start.
 *
 * @returns The exit code: 0 stopped by a signal, 1 could not start.
 *
 * @example A port in use is exit 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { serveLexicalServer } from "./serve.ts";
 *
 * using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const dict = await Deno.makeTempFile();
 * await Deno.writeTextFile(dict, "axe\n");
 * const { error } = console;
 * console.error = () => {};
 * try {
 *   const code = await serveLexicalServer({
 *     settings: { finder: "worker", workers: 1, dict },
 *     port: taken.addr.port,
 *     hostname: "127.0.0.1",
 *     tls: undefined,
 *     limits: {},
 *     quiet: true,
 *     accessLog: false,
 *     reusePort: false,
 *   }, 1);
 *   assert.equal(code, 1);
 * } finally {
 *   console.error = error;
 *   await Deno.remove(dict);
 * }
 * ```
 */
export async function serveLexicalServer(
  config: ListenerConfig,
  listeners: number,
): Promise<number> {
  if (listeners > 1) {
    // Each listener has its own finder: share the cores among them.
    const workers = config.settings.workers ?? navigator.hardwareConcurrency;
    config = {
      ...config,
      settings: { ...config.settings, workers: Math.max(1, Math.round(workers / listeners)) },
    };
  }
  const { BufferedLineWriter } = await import("../../lib/io/buffered_line_writer.ts");
  await using log = new BufferedLineWriter(Deno.stderr, { flushDelayMs: 50 });
  using shutdown = shutdownSignal();
  const { startListener, ListenerError } = await import("./listener.ts");
  let first;
  try {
    first = await startListener(config, (line) => log.writeLine(line), shutdown.signal);
  } catch (error) {
    const what = error instanceof ListenerError && error.step === "load"
      ? "Cannot load the word finder"
      : `Cannot listen on port ${config.port}`;
    console.error(`lexical-server: ${what}: ${(error as Error).message}${unstableHint(error)}`);
    return 1;
  }
  await using finder = first.finder;
  const server = first.server;
  const others: ListenerWorker[] = [];
  try {
    for (let i = 1; i < listeners; i++) {
      others.push(await startListenerWorker({ ...config, port: server.addr.port }));
    }
  } catch (error) {
    console.error(
      `lexical-server: Cannot start listener ${others.length + 2}: ${(error as Error).message}`,
    );
    await server.shutdown();
    await Promise.all(others.map((other) => other.stop()));
    return 1;
  }
  const where = formatHostPort(server.addr.hostname, server.addr.port);
  const scheme = config.tls ? "https" : "http";
  const how = listeners > 1 ? `, ${listeners} listeners` : "";
  console.error(`lexical-server: Listening on ${scheme}://${where}/ (${finder.kind}${how})`);
  await server.finished;
  await Promise.all(others.map((other) => other.stop()));
  return 0;
}

/** A listener running in a worker. */
interface ListenerWorker {
  /** Shuts it down gracefully and ends the worker. */
  stop(): Promise<void>;
}

async function startListenerWorker(config: ListenerConfig): Promise<ListenerWorker> {
  const worker = new Worker(new URL("./listener_worker.ts", import.meta.url), {
    type: "module",
    name: "lexical-listener",
  });
  let next = Promise.withResolvers<ListenerReport>();
  worker.onmessage = (event: MessageEvent<ListenerReport>) => next.resolve(event.data);
  worker.onerror = (event) => {
    event.preventDefault();
    next.reject(new Error(event.message));
  };
  const send = (command: ListenerCommand) => {
    next = Promise.withResolvers<ListenerReport>();
    worker.postMessage(command);
    return next.promise;
  };
  try {
    const report = await send({ type: "start", config });
    if (report.type === "error") throw new Error(report.message);
  } catch (error) {
    worker.terminate();
    throw error;
  }
  return {
    async stop() {
      try {
        await send({ type: "stop" });
      } finally {
        worker.terminate();
      }
    },
  };
}

/** Where `reusePort` was refused for want of `--unstable-net`, how to ask for it. */
function unstableHint(error: unknown): string {
  return /unstable/i.test(String((error as Error)?.message))
    ? " (--listeners needs deno run --unstable-net)"
    : "";
}
