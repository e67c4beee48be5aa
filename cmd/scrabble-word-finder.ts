/**
 * scrabble-word-finder: print every dictionary word a rack of letters can form.
 *
 * @module
 */

import { runMain } from "../lib/cli/run_main.ts";
import { parseCommandLine, reportUsageError, UsageError } from "../lib/cli/command_line.ts";
import { parseRack } from "../lib/words/rack.ts";

export const usage = `Usage: scrabble-word-finder [--dict FILE] LETTERS

Print every word the letters can form, one per line, lowercase, longest first then
alphabetically. Each letter is used at most as often as it appears; ? is a blank tile that
stands for any letter. Letters are case-insensitive.

  --dict FILE   a word list, one word per line (default: SOWPODS, built in)

Exit codes: 0 done (even with no words), 1 the dictionary cannot be read, 2 usage error.`;

const spec = {
  name: "scrabble-word-finder",
  usage,
  options: { dict: { type: "string" as const } },
  minPositionals: 1,
  maxPositionals: 1,
};

export async function main(args: string[]): Promise<number> {
  const parsed = parseCommandLine(args, spec);
  if (typeof parsed === "number") return parsed;
  const [rackText] = parsed.positionals;
  let rack: string;
  try {
    // parseCommandLine() checked minPositionals above.
    if (rackText === undefined) throw new UsageError("Expected a RACK");
    rack = parseRack(rackText);
  } catch (error) {
    return reportUsageError(spec, error);
  }
  const dict = parsed.values.dict as string | undefined;
  const { loadWordList } = await import("../lib/words/dictionary.ts");
  const { findWords } = await import("../lib/words/word_index.ts");
  let words: string[];
  try {
    // One rack per run: a scan of the list beats building the index first.
    words = findWords(await loadWordList(dict), rack);
  } catch (error) {
    console.error(
      `scrabble-word-finder: Cannot read the dictionary "${dict}": ${(error as Error).message}`,
    );
    return 1;
  }
  if (words.length > 0) {
    const out = new TextEncoder().encode(words.join("\n") + "\n");
    try {
      const { writeAll } = await import("../lib/io/write_all.ts");
      await writeAll(Deno.stdout, out);
    } catch (error) {
      if (error instanceof Deno.errors.BrokenPipe) return 0;
      throw error;
    }
  }
  return 0;
}

if (import.meta.main) await runMain("scrabble-word-finder", main);
