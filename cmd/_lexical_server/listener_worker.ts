/**
 * A lexical-server listener in a worker, for `lexical-server --listeners N`: it starts on
 * `{ type: "start", config }`, answers `{ type: "listening" }` or `{ type: "error", step,
 * message }`, and on `{ type: "stop" }` shuts its server down gracefully, closes its finder,
 * flushes its log and answers `{ type: "stopped" }`.
 *
 * @module
 */

import { BufferedLineWriter } from "../../lib/io/buffered_line_writer.ts";
import { type ListenerConfig, ListenerError, startListener } from "./listener.ts";

/** A message to the worker. */
export type ListenerCommand = { type: "start"; config: ListenerConfig } | { type: "stop" };

/** A message from the worker. */
export type ListenerReport =
  | { type: "listening" }
  | { type: "error"; step: "load" | "listen"; message: string }
  | { type: "stopped" };

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ListenerCommand>) => void) | null;
  postMessage(message: ListenerReport): void;
};

const log = new BufferedLineWriter(Deno.stderr, { flushDelayMs: 50 });
let running: Awaited<ReturnType<typeof startListener>> | undefined;

scope.onmessage = async (event) => {
  const command = event.data;
  if (command.type === "start") {
    try {
      running = await startListener(command.config, (line) => log.writeLine(line));
      scope.postMessage({ type: "listening" });
    } catch (error) {
      const step = error instanceof ListenerError ? error.step : "listen";
      scope.postMessage({ type: "error", step, message: (error as Error).message });
    }
  } else {
    await running?.server.shutdown();
    await running?.finder.close();
    await log[Symbol.asyncDispose]();
    scope.postMessage({ type: "stopped" });
  }
};
