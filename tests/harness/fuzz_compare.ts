/**
 * Helpers of the seeded differential tests against GNU wget (`tests/cmd/wget-recursive-*random*`):
 * the seeds a run takes from the environment, the first difference of two outcomes, and the
 * broken links `--spider` lists, put in order.
 *
 * @module
 */

/**
 * The seeds to run: `NETKIT_FUZZ_SEED=a,b` replays those, `NETKIT_FUZZ_SEEDS=N` (from
 * `NETKIT_FUZZ_FIRST`, 1 by default) hunts N in a row, else `fixed`.
 */
export function fuzzSeeds(fixed: number[]): number[] {
  const list = Deno.env.get("NETKIT_FUZZ_SEED");
  if (list) return list.split(",").map(Number);
  const count = Deno.env.get("NETKIT_FUZZ_SEEDS");
  if (!count) return fixed;
  const first = Number(Deno.env.get("NETKIT_FUZZ_FIRST") ?? 1);
  return Array.from({ length: Number(count) }, (_, i) => first + i);
}

/** The first place where `gnu` and `netkit` differ, as text. */
export function firstDifference(gnu: string[], netkit: string[]): string {
  for (let i = 0; i < Math.max(gnu.length, netkit.length); i++) {
    if (gnu[i] !== netkit[i]) {
      return `at line ${i + 1}:\n  GNU:    ${gnu[i] ?? "(nothing)"}\n  netkit: ${
        netkit[i] ?? "(nothing)"
      }`;
    }
  }
  return "none";
}

/** `lines` with the URLs after `--spider`'s "Found N broken links." sorted (GNU's hash order). */
export function sortBrokenLinks(lines: string[]): string[] {
  const found = lines.findIndex((line) => /^Found \d+ broken links?\.$/.test(line));
  if (found < 0) return lines;
  let end = found + 1;
  while (lines[end]?.startsWith("http")) end++;
  return [...lines.slice(0, found + 1), ...lines.slice(found + 1, end).sort(), ...lines.slice(end)];
}
