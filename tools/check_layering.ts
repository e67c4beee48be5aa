/**
 * The layering rules of netkit, as a check that can fail (run by `tests/tools/check_layering_test.ts`
 * inside the test command, or by hand: `deno run --allow-read tools/check_layering.ts`).
 *
 * The rules, from `STYLE.md` and the README:
 * - no import cycle anywhere (static imports, re-exports and literal `import()` alike);
 * - nothing in `lib/` imports, or builds a URL into, `cmd/`, `tools/`, `tests/` or `bench/`;
 * - a package imports only packages below it: internal < io < net < async, process < http, dns,
 *   time, telnet < download, words < cli;
 * - an import across folders names a file, never a `mod.ts` (so commands load only what they use);
 * - a `_`-private file or folder is used only inside the folder that holds it (tests excepted: a
 *   private file's test sits in the mirrored folder of `tests/`);
 * - no `console.*` or `Deno.exit` in `lib/` outside the command-line kit `lib/cli/`;
 * - no package's `mod.ts` exports `lib/internal/`;
 * - a command (`cmd/NAME.ts`) never imports another command; only the command table loads them.
 *
 * @module
 */

/** The rank of each package of `lib/`: a package may import only packages of a lower rank. */
export const PACKAGE_RANKS: Readonly<Record<string, number>> = {
  internal: 0,
  io: 1,
  net: 2,
  async: 3,
  process: 3,
  http: 4,
  dns: 4,
  time: 4,
  telnet: 4,
  download: 5,
  words: 5,
  cli: 6,
};

/** One broken rule: the file (relative to the project root), its line, and what is wrong. */
export interface LayeringViolation {
  /** The importing file, e.g. `lib/net/socket.ts`. */
  file: string;
  /** The 1-based line of the offending text. */
  line: number;
  /** What is wrong, in one line. */
  message: string;
}

interface Reference {
  /** The resolved project-relative path. */
  target: string;
  line: number;
  /** `import`/`export … from`/`import()` make edges of the module graph; a URL does not. */
  kind: "import" | "url";
}

/**
 * Blanks out comment lines (keeping line breaks, so line numbers stay right): lines that start with
 * `//`, `/*` or `*`, as JSDoc and its examples do. Code in this project never starts a line so.
 */
function stripComments(source: string): string {
  return source.split("\n").map((line) => /^\s*(\/\/|\/\*|\*)/.test(line) ? "" : line).join("\n");
}

function lineOf(source: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (source.charCodeAt(i) === 10) line++;
  return line;
}

/** Joins a relative specifier to the folder of `from`; undefined when it leaves the project. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "." || part === "") continue;
    if (part === "..") {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join("/");
}

const IMPORT_PATTERNS = [
  /^[ \t]*(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/gm,
  /^[ \t]*import\s*["']([^"']+)["']/gm,
  /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
];
const URL_PATTERN = /\bnew\s+URL\(\s*["'`]([^"'`$]+)["'`]\s*,\s*import\.meta\.url/g;

function referencesOf(file: string, code: string): Reference[] {
  const found: Reference[] = [];
  for (const pattern of IMPORT_PATTERNS) {
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] ?? "";
      if (!specifier.startsWith(".")) continue;
      const target = resolveRelative(file, specifier);
      if (target !== undefined) {
        found.push({ target, line: lineOf(code, match.index ?? 0), kind: "import" });
      }
    }
  }
  for (const match of code.matchAll(URL_PATTERN)) {
    const target = resolveRelative(file, match[1] ?? "");
    if (target !== undefined) {
      found.push({ target, line: lineOf(code, match.index ?? 0), kind: "url" });
    }
  }
  return found;
}

/** The package of a path under `lib/`, e.g. `net` for `lib/net/socket.ts`; undefined elsewhere. */
function packageOf(path: string): string | undefined {
  const parts = path.split("/");
  return parts[0] === "lib" && parts.length > 2 ? parts[1] : undefined;
}

function folderOf(path: string): string {
  return path.split("/").slice(0, -1).join("/");
}

/** Whether `importer` may use `target` under the `_`-private rule. */
function privacyAllows(importer: string, target: string): boolean {
  if (importer.startsWith("tests/")) return true;
  const parts = target.split("/");
  for (let i = 0; i < parts.length; i++) {
    if (!(parts[i] ?? "").startsWith("_")) continue;
    const owner = parts.slice(0, i).join("/");
    const inside = owner === "" || importer === owner || importer.startsWith(`${owner}/`);
    if (!inside) return false;
  }
  return true;
}

function isCommandEntry(path: string): boolean {
  return /^cmd\/[^/_][^/]*\.ts$/.test(path) && path !== "cmd/commands.ts";
}

/** Finds the cycles of the module graph, each once, as the list of files around it. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const seen = state.get(next);
      if (seen === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (seen === undefined && graph.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}

/**
 * Checks the layering rules over a set of source files.
 *
 * @param sources Each `.ts` file's project-relative path (`lib/net/socket.ts`) and text.
 * @returns Every broken rule, sorted by file and line; empty when the tree is clean.
 *
 * @example A library file that prints and imports a command
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLayering } from "./check_layering.ts";
 *
 * const violations = checkLayering(
 *   new Map([
 *     ["lib/net/a.ts", 'import { x } from "../../cmd/wget.ts";\nconsole.log(x);\n'],
 *     ["cmd/wget.ts", "export const x = 1;\n"],
 *   ]),
 * );
 * assert.deepEqual(violations.map((v) => v.line), [1, 2]);
 * ```
 */
export function checkLayering(sources: ReadonlyMap<string, string>): LayeringViolation[] {
  const violations: LayeringViolation[] = [];
  const graph = new Map<string, string[]>();
  const add = (file: string, line: number, message: string) =>
    violations.push({ file, line, message });

  for (const [file, source] of sources) {
    const code = stripComments(source);
    const edges: string[] = [];
    graph.set(file, edges);
    const fromPackage = packageOf(file);
    for (const { target, line, kind } of referencesOf(file, code)) {
      if (kind === "import") edges.push(target);
      const top = target.split("/")[0] ?? "";
      if (file.startsWith("lib/") && ["cmd", "tools", "tests", "bench"].includes(top)) {
        add(file, line, `lib/ must not reach into ${top}/ ("${target}")`);
        continue;
      }
      if (kind === "url") continue;
      if (!privacyAllows(file, target)) {
        add(file, line, `"${target}" is private to its folder`);
      }
      const toPackage = packageOf(target);
      if (target.endsWith("/mod.ts") && folderOf(target) !== folderOf(file) && file !== "mod.ts") {
        add(file, line, `imports "${target}": name the file, not the package's mod.ts`);
      }
      if (fromPackage !== undefined && toPackage !== undefined && toPackage !== fromPackage) {
        const from = PACKAGE_RANKS[fromPackage];
        const to = PACKAGE_RANKS[toPackage];
        if (from === undefined) add(file, line, `lib/${fromPackage}/ has no rank in PACKAGE_RANKS`);
        else if (to === undefined) {
          add(file, line, `lib/${toPackage}/ has no rank in PACKAGE_RANKS`);
        } else if (to >= from) {
          add(
            file,
            line,
            `${fromPackage} must not import ${toPackage} (not below it): "${target}"`,
          );
        }
      }
      if (
        file.endsWith("/mod.ts") && file.startsWith("lib/") && toPackage === "internal" &&
        fromPackage !== "internal"
      ) {
        add(file, line, `a package's mod.ts must not export lib/internal/ ("${target}")`);
      }
      if (isCommandEntry(file) && isCommandEntry(target) && file !== "cmd/netkit.ts") {
        add(file, line, `a command must not import another command ("${target}")`);
      }
    }
    if (fromPackage !== undefined && fromPackage !== "cli") {
      for (const match of code.matchAll(/\bconsole\.[a-zA-Z]+\b|\bDeno\.exit\b/g)) {
        add(
          file,
          lineOf(code, match.index ?? 0),
          `${match[0]} in lib/: only lib/cli/ may print or exit`,
        );
      }
    }
  }
  for (const cycle of findCycles(graph)) {
    const first = cycle[0] ?? "";
    add(first, 1, `import cycle: ${cycle.join(" -> ")}`);
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Reads every `.ts` file of the project's source folders, keyed by project-relative path. */
export async function readProjectSources(root: string): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(`${root}/${folder}`)) {
      const path = folder === "" ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory && !["node_modules", "dist", ".git"].includes(entry.name)) {
        if (folder !== "" || ["lib", "cmd", "tools", "tests", "bench"].includes(entry.name)) {
          await walk(path);
        }
      } else if (entry.isFile && entry.name.endsWith(".ts")) {
        if (folder !== "" || entry.name === "mod.ts") {
          sources.set(path, await Deno.readTextFile(`${root}/${path}`));
        }
      }
    }
  };
  await walk("");
  return sources;
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const violations = checkLayering(await readProjectSources(root));
  for (const v of violations) console.error(`${v.file}:${v.line}: ${v.message}`);
  Deno.exit(violations.length === 0 ? 0 : 1);
}
