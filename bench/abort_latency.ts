/**
 * Abort latency: how long after `controller.abort()` each blocking call of the DNS, pool and
 * subprocess packages settles, at the stage where it waits, against the anchors that Deno itself
 * offers in the same run (`Deno.resolveDns` with a signal asking a silent server; `Deno.Command`
 * with a signal running `sleep`). The goal: every stage under 50 ms. Run alone with
 * `deno run -A bench/abort_latency.ts`.
 *
 * @module
 */

import { queryDns } from "../lib/dns/client.ts";
import { resolveHost } from "../lib/dns/resolver.ts";
import { DNS_TYPE } from "../lib/dns/message.ts";
import { TaskPool } from "../lib/async/task_pool.ts";
import { WorkerPool } from "../lib/async/worker_pool.ts";
import { subprocess } from "../lib/process/subprocess.ts";
import { answerTo, startFakeDnsServer } from "../tests/harness/dns_peers.ts";

const RUNS = 30;

/** Starts `operation`, waits until `ready()` says it blocks, aborts, and times the settling. */
async function measure(
  operation: (signal: AbortSignal) => Promise<unknown>,
  ready: () => Promise<void>,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const controller = new AbortController();
    const settled = operation(controller.signal).then(() => {}, () => {});
    await ready();
    const start = performance.now();
    controller.abort(new Error("bench"));
    await settled;
    times.push(performance.now() - start);
  }
  return times;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}

const rows: [string, number[]][] = [];
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

{
  await using silent = await startFakeDnsServer(() => undefined);
  const server = { hostname: "127.0.0.1", port: silent.port };
  rows.push([
    "queryDns, waiting for a UDP answer",
    await measure(
      (signal) => queryDns("a.test", DNS_TYPE.A, { nameServer: server, timeoutMs: 60_000, signal }),
      tick,
    ),
  ]);
  rows.push([
    "resolveHost, waiting for a UDP answer",
    await measure(
      (signal) =>
        resolveHost("a.test", {
          nameServer: server,
          hostsFile: false,
          attemptTimeoutMs: 60_000,
          signal,
        }),
      tick,
    ),
  ]);
  rows.push([
    "anchor: Deno.resolveDns, same silent server",
    await measure(
      (signal) =>
        Deno.resolveDns("a.test", "A", {
          nameServer: { ipAddr: "127.0.0.1", port: silent.port },
          signal,
        }),
      tick,
    ),
  ]);
}
{
  // Truncated over UDP, then a TCP listener that never answers.
  await using truncating = await startFakeDnsServer((query) =>
    answerTo(query, { truncated: true })
  );
  using listener = Deno.listen({ hostname: "127.0.0.1", port: truncating.port });
  const held: Deno.Conn[] = [];
  rows.push([
    "queryDns, waiting for the TCP answer",
    await measure(
      (signal) =>
        queryDns("a.test", DNS_TYPE.A, {
          nameServer: { hostname: "127.0.0.1", port: truncating.port },
          timeoutMs: 60_000,
          signal,
        }),
      async () => void held.push(await listener.accept()),
    ),
  ]);
  for (const conn of held) conn.close();
}
{
  await using pool = new TaskPool(1);
  const { promise: forever, resolve: release } = Promise.withResolvers<void>();
  const blocker = pool.run(() => forever);
  rows.push([
    "TaskPool.run, queued",
    await measure((signal) => pool.run(() => {}, { signal }), () => Promise.resolve()),
  ]);
  release();
  await blocker;
}
{
  const code = `import { serveWorkerTasks } from "${new URL(
    "../lib/async/worker_entry.ts",
    import.meta.url,
  )}";
    serveWorkerTasks(() => { while (true) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); });`;
  await using pool = new WorkerPool(`data:application/javascript,${encodeURIComponent(code)}`, {
    size: 1,
  });
  rows.push([
    "WorkerPool.run, running (a busy worker)",
    await measure((signal) => pool.run(0, { signal }), tick),
  ]);
}
rows.push([
  "subprocess, lines() of `sleep 30`",
  await measure(async (signal) => {
    await using child = subprocess(["sleep", "30"], { signal });
    for await (const _ of child.lines());
  }, tick),
]);
rows.push([
  "anchor: Deno.Command output() of `sleep 30`",
  await measure(
    (signal) => new Deno.Command("sleep", { args: ["30"], signal, stdout: "piped" }).output(),
    tick,
  ),
]);

console.log(`Abort latency: abort() to the promise settling, median and worst of ${RUNS} runs`);
console.log("| operation (stage)                              | median ms | worst ms |");
console.log("|------------------------------------------------|-----------|----------|");
for (const [label, times] of rows) {
  console.log(
    `| ${label.padEnd(46)} | ${median(times).toFixed(2).padStart(9)} | ${
      Math.max(...times).toFixed(2).padStart(8)
    } |`,
  );
}
