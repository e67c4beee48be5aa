/**
 * Abuse run: lexical-server and time-server on loopback, each in its own process, while a
 * well-behaved client asks every 50 ms on a fresh connection and times each answer.
 *
 * lexical-server gets, one phase after another: MALFORMED malformed requests (random bytes, bad
 * request lines, huge headers, many headers, bad methods, huge paths; 32 at a time), slowloris
 * (SLOW connections trickling a header one byte a second for SLOW_SECONDS), and a flood of FLOOD
 * connections that say nothing, held HOLD seconds, then closed. time-server gets the same flood,
 * then readers that never read. After each server's abusers leave, the run waits (up to 15 s) for
 * its open descriptors to come back to the baseline measured before the abuse.
 *
 *   bash -c 'ulimit -n 8192; deno run -A bench/abuse.ts [--malformed 10000] [--slow 256]
 *     [--slow-seconds 25] [--flood 2000] [--hold 5]'
 *
 * Prints a Markdown table per server; exits 1 when a goal is missed (a good request failed or
 * took over 1 s, the server died, descriptors did not come back).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  connectionFlood,
  daytimeProbe,
  eventually,
  goodClient,
  type GoodClientReport,
  httpProbe,
  latencySummary,
  type ProcessSample,
  sampleProcess,
  sendMalformed,
  slowloris,
  startQuietServer,
} from "../tests/harness/abuse.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    malformed: { type: "string", default: "10000" },
    slow: { type: "string", default: "256" },
    "slow-seconds": { type: "string", default: "25" },
    flood: { type: "string", default: "2000" },
    hold: { type: "string", default: "5" },
  },
});
const MALFORMED = Number(values.malformed);
const SLOW = Number(values.slow);
const SLOW_SECONDS = Number(values["slow-seconds"]);
const FLOOD = Number(values.flood);
const HOLD = Number(values.hold);

const openFilesLimit = Number(
  /^Max open files\s+(\d+)/m.exec(Deno.readTextFileSync("/proc/self/limits"))?.[1] ?? Infinity,
);
if (openFilesLimit < Math.max(FLOOD, SLOW) + 512) {
  console.error(
    `abuse: the open-files limit is ${openFilesLimit}; run under ` +
      `bash -c 'ulimit -n 8192; deno run -A bench/abuse.ts'`,
  );
  Deno.exit(2);
}

let missed = false;

function goal(ok: boolean, text: string): string {
  if (!ok) missed = true;
  return `${text} ${ok ? "(goal met)" : "(GOAL MISSED)"}`;
}

/** Samples the server's /proc figures every 100 ms while `work` runs. */
async function watched<T>(
  pid: number,
  work: Promise<T>,
): Promise<{ result: T; maxRssKiB: number; maxFds: number }> {
  let maxRssKiB = 0;
  let maxFds = 0;
  const sample = () => {
    try {
      const s = sampleProcess(pid);
      maxRssKiB = Math.max(maxRssKiB, s.rssKiB);
      maxFds = Math.max(maxFds, s.fds);
    } catch {
      // The process is gone; the caller sees it.
    }
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work;
    sample();
    return { result, maxRssKiB, maxFds };
  } finally {
    clearInterval(timer);
  }
}

const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

function row(phase: string, what: string, held: string): string {
  return `| ${phase} | ${what} | ${held} |`;
}

async function abuse(
  name: string,
  pid: number,
  probe: () => Promise<void>,
  phases: { name: string; run: () => Promise<string> }[],
): Promise<void> {
  const baseline: ProcessSample = sampleProcess(pid);
  const stop = new AbortController();
  const good = goodClient(probe, 50, stop.signal);
  const rows: string[] = [];
  let worstRss = baseline.rssKiB;
  for (const phase of phases) {
    const started = performance.now();
    const { result, maxRssKiB, maxFds } = await watched(pid, phase.run());
    worstRss = Math.max(worstRss, maxRssKiB);
    rows.push(
      row(
        phase.name,
        result,
        `${((performance.now() - started) / 1000).toFixed(1)} s; server RSS max ${
          mib(maxRssKiB)
        }, fds max ${maxFds}`,
      ),
    );
  }
  const back = await eventually(() => sampleProcess(pid).fds <= baseline.fds, 15_000, 100);
  stop.abort();
  const report: GoodClientReport = await good;
  const after = sampleProcess(pid);
  const lat = latencySummary(report.latencies);
  console.log(`\n### ${name}\n`);
  console.log("| Phase | Sent and seen | Server during the phase |");
  console.log("| --- | --- | --- |");
  for (const line of rows) console.log(line);
  console.log(
    row(
      "good client (whole run)",
      `${lat.count} requests on fresh connections, ${report.failures.length} failed${
        report.failures.length ? ` (${report.failures.slice(0, 3).join("; ")})` : ""
      }`,
      goal(
        report.failures.length === 0 && lat.max <= 1000,
        `latency p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms, max ${
          lat.max.toFixed(1)
        } ms`,
      ),
    ),
  );
  console.log(
    row(
      "after",
      `baseline: RSS ${mib(baseline.rssKiB)}, ${baseline.fds} fds`,
      goal(
        back,
        `RSS ${mib(after.rssKiB)} (max ${mib(worstRss)}, VmHWM ${
          mib(after.hwmKiB)
        }), ${after.fds} fds`,
      ),
    ),
  );
}

function outcomesText(outcomes: Record<string, number>): string {
  return Object.entries(outcomes).sort().map(([key, n]) => `${key} ×${n}`).join(", ");
}

async function floodPhase(port: number, seconds: number): Promise<string> {
  const flood = await connectionFlood(port, FLOOD);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const closed = flood.closedByServer;
  await flood.release();
  return `${FLOOD} connects that say nothing, held ${seconds} s: ${flood.opened} opened, ${flood.failed} failed, ${closed} closed by the server while held`;
}

// --- lexical-server ---
{
  await using server = await startQuietServer("lexical-server");
  const racks = ["lexical", "aeinrst", "qu%3Fck", "netkit", "zyxwvu", "abcdefg", "sockets"];
  let turn = 0;
  const probe = () => httpProbe(server.port, `/api/${racks[turn++ % racks.length]}`)();
  await probe(); // the index is loaded and warm before the baseline
  await abuse("lexical-server", server.pid, probe, [
    {
      name: "malformed",
      run: async () =>
        `${MALFORMED} requests, 32 at a time: ${
          outcomesText(await sendMalformed(server.port, MALFORMED, { concurrency: 32 }))
        }`,
    },
    {
      name: "slowloris",
      run: async () => {
        const r = await slowloris(server.port, {
          connections: SLOW,
          durationMs: SLOW_SECONDS * 1000,
        });
        const first = r.closedAfterMs[0];
        return `${r.opened} connections, a header byte a second for ${SLOW_SECONDS} s (${r.bytesSent} bytes): ${r.closedByServer} closed by the server${
          first === undefined ? "" : ` (first after ${(first / 1000).toFixed(1)} s)`
        }`;
      },
    },
    { name: "flood", run: () => floodPhase(server.port, HOLD) },
  ]);
  if ((await server.stop()).code !== 0) missed = true;
}

// --- time-server ---
{
  await using server = await startQuietServer("time-server");
  await abuse("time-server", server.pid, daytimeProbe(server.port), [
    { name: "flood", run: () => floodPhase(server.port, HOLD) },
    {
      name: "readers that never read",
      run: async () => {
        const flood = await connectionFlood(server.port, FLOOD, { read: false });
        await new Promise((resolve) => setTimeout(resolve, HOLD * 1000));
        await flood.release();
        return `${FLOOD} connections that never read their line, held ${HOLD} s: ${flood.opened} opened, ${flood.failed} failed`;
      },
    },
  ]);
  if ((await server.stop()).code !== 0) missed = true;
}

Deno.exit(missed ? 1 : 0);
