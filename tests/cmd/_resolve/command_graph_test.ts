import assert from "node:assert/strict";

/**
 * The static imports of `cmd/_resolve/command.ts`, as `deno info --json` gives them: each
 * module's level (the fewest static import steps, dynamic `import()`s left out, from command.ts), by path from the checkout.
 */
async function importLevels(): Promise<Map<string, number>> {
  const root = new URL("../../../cmd/_resolve/command.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", root.href],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(output.success, new TextDecoder().decode(output.stderr));
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: {
      specifier: string;
      dependencies?: { code?: { specifier: string }; isDynamic?: boolean }[];
    }[];
  };
  const bySpecifier = new Map(graph.modules.map((module) => [module.specifier, module]));
  const checkout = new URL("../../../", import.meta.url).href;
  const levels = new Map<string, number>([[root.href, 0]]);
  const queue = [root.href];
  while (queue.length > 0) {
    const specifier = queue.shift()!;
    for (const dependency of bySpecifier.get(specifier)?.dependencies ?? []) {
      const next = dependency.code?.specifier;
      if (dependency.isDynamic || next === undefined || levels.has(next)) continue;
      levels.set(next, levels.get(specifier)! + 1);
      queue.push(next);
    }
  }
  return new Map(
    [...levels].map(([specifier, level]) => [specifier.slice(checkout.length), level]),
  );
}

Deno.test("command.ts's early-import list keeps the resolver's static graph three levels deep", async () => {
  // command.ts names the resolver's own imports so that Deno fetches them with its first level
  // (bench/README.md: ~0.85 ms of every `resolve-hostname NAME`). A module the resolver comes to
  // import at level 2 without being named there makes the graph a level deeper again.
  const levels = await importLevels();
  assert.equal(levels.get("lib/dns/resolver.ts"), 1);
  const deepest = [...levels].filter(([, level]) => level > 2).map(([path]) => path);
  assert.deepEqual(deepest, [], "name these in command.ts's early-import list");
  // The private modules stay last: they are not named from cmd/.
  for (const [path, level] of levels) {
    if (/\/_[^/]+\.ts$/.test(path) && path.startsWith("lib/")) assert.equal(level, 2, path);
  }
});
