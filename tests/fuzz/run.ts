/**
 * The long fuzz run: `deno task fuzz [ITERATIONS] [SEED]` (default 100,000 inputs per target,
 * seed 1). Prints one line per target; exits 1 on the first failure, naming the input.
 *
 * @module
 */

import { fuzz } from "./_harness.ts";
import { ALL_TARGETS } from "./targets.ts";

const iterations = Number(Deno.args[0] ?? 100_000);
const seed = Number(Deno.args[1] ?? 1);
let failed = false;
const mib = (bytes: number) => `${bytes >= 0 ? "+" : ""}${(bytes / 1048576).toFixed(1)}`;
for (const target of ALL_TARGETS) {
  try {
    const r = await fuzz(target, { iterations, seed });
    console.log(
      `${r.name}: ${r.iterations} inputs, ${r.accepted} accepted, ${r.rejected} rejected, ` +
        `slowest ${r.slowestMs.toFixed(1)} ms, ${(r.totalMs / 1000).toFixed(1)} s, ` +
        `RSS ${mib(r.rssGrowth)} MiB, heap ${mib(r.heapGrowth)} MiB`,
    );
  } catch (error) {
    failed = true;
    console.error(error instanceof Error ? error.message : error);
  }
}
Deno.exit(failed ? 1 : 0);
