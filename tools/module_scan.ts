/**
 * Reading a command's own sources before compiling it: the worker modules it starts (which
 * `deno compile` does not find by itself) and the permissions its code plainly needs (which the
 * command table must grant, or the compiled binary fails at run time).
 *
 * @module
 */

import type { PermissionName } from "../cmd/commands.ts";

/** What {@linkcode scanCommand} found. */
export interface CommandScan {
  /** The project files the command loads, its workers' included, relative to the root. */
  modules: string[];
  /** The worker modules it starts, relative to the root: `--include` them. */
  workers: string[];
  /**
   * Project files it names with `new URL("…", import.meta.url)` (data, or modules loaded some
   * other way), relative to the root: `--include` them too.
   */
  files: string[];
  /** Permissions its code uses, by the APIs it calls. */
  needs: PermissionName[];
}

const WORKER_PATTERNS = [
  /new\s+Worker\s*\(\s*new\s+URL\s*\(\s*(["'`])([^"'`]+)\1\s*,\s*import\.meta\.url\s*,?\s*\)/g,
  /new\s+Worker\s*\(\s*import\.meta\.resolve\s*\(\s*(["'`])([^"'`]+)\1\s*,?\s*\)/g,
];
const URL_PATTERN = /new\s+URL\s*\(\s*(["'`])(\.\.?\/[^"'`]+)\1\s*,\s*import\.meta\.url\s*,?\s*\)/g;

/**
 * The worker modules a source starts with `new Worker(new URL("…", import.meta.url))` or
 * `new Worker(import.meta.resolve("…"))`, resolved against the module's URL.
 *
 * @param source A module's text.
 * @param moduleUrl The module's URL, to resolve relative specifiers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findWorkerModules } from "./module_scan.ts";
 *
 * const source = 'new Worker(new URL("./finder_worker.ts", import.meta.url), { type: "module" })';
 * const found = findWorkerModules(source, "file:///p/lib/pool.ts");
 * assert.deepEqual(found, ["file:///p/lib/finder_worker.ts"]);
 * ```
 */
export function findWorkerModules(source: string, moduleUrl: string): string[] {
  const found = new Set<string>();
  for (const pattern of WORKER_PATTERNS) {
    for (const [, , specifier] of stripComments(source).matchAll(pattern)) {
      if (specifier !== undefined) found.add(new URL(specifier, moduleUrl).href);
    }
  }
  return [...found];
}

/**
 * The relative URLs a source builds with `new URL("./…", import.meta.url)`, resolved against
 * the module's URL: files it reads or loads at run time, which a compiled binary must embed.
 * Template literals with `${…}` are left out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findReferencedFiles } from "./module_scan.ts";
 *
 * const source = 'await Deno.readTextFile(new URL("../data/ports.txt", import.meta.url))';
 * const found = findReferencedFiles(source, "file:///p/lib/ports.ts");
 * assert.deepEqual(found, ["file:///p/data/ports.txt"]);
 * ```
 */
export function findReferencedFiles(source: string, moduleUrl: string): string[] {
  const found = new Set<string>();
  for (const [, , specifier] of stripComments(source).matchAll(URL_PATTERN)) {
    if (specifier !== undefined && !specifier.includes("${")) {
      found.add(new URL(specifier, moduleUrl).href);
    }
  }
  return [...found];
}

const PERMISSION_PATTERNS: [PermissionName, RegExp][] = [
  [
    "net",
    /\bDeno\.(connect|connectTls|listen|listenTls|listenDatagram|serve|resolveDns|startTls)\b|\bfetch\(|["']node:(net|dgram|http|https|dns|tls)["']/,
  ],
  [
    "read",
    /\bDeno\.(readFile|readTextFile|readFileSync|readTextFileSync|open|openSync|stat|statSync|lstat|readDir|realPath)\b|["']node:fs(\/promises)?["']/,
  ],
  [
    "write",
    /\bDeno\.(writeFile|writeTextFile|mkdir|rename|remove|truncate|create|makeTempFile|makeTempDir|copyFile)\b/,
  ],
  ["run", /\bnew\s+Deno\.Command\b|["']node:child_process["']/],
  ["env", /\bDeno\.env\b|\bprocess\.env\b/],
  [
    "sys",
    /\bDeno\.(loadavg|osRelease|osUptime|systemMemoryInfo|networkInterfaces|hostname|uid|gid)\b|["']node:os["']/,
  ],
];

/**
 * The permissions a source's code calls for, by the Deno and `node:` APIs it uses (comments
 * ignored). A heuristic meant to catch a table that forgot a permission, not to replace it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { permissionsUsed } from "./module_scan.ts";
 *
 * const used = permissionsUsed("// Deno.env.get\nconst c = new Deno.Command('x');");
 * assert.deepEqual(used, ["run"]); // Deno.env in a comment does not count
 * ```
 */
export function permissionsUsed(source: string): PermissionName[] {
  const code = stripComments(source);
  return PERMISSION_PATTERNS.filter(([, pattern]) => pattern.test(code)).map(([name]) => name);
}

/** Removes block and line comments, roughly (a `//` inside a string cuts the rest of its line). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/**
 * Scans `cmd/NAME.ts` and everything it loads from the project (through `deno info`), and the
 * worker modules it starts, recursively; notes the project files its code names by URL.
 *
 * @param root The project's root directory.
 * @param name The command's name.
 * @throws {Error} when `deno info` fails (e.g. a module does not parse).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanCommand } from "./module_scan.ts";
 *
 * const root = new URL("../", import.meta.url).pathname;
 * const scan = await scanCommand(root, "lexical-server");
 * assert.ok(scan.modules.includes("cmd/lexical-server.ts"));
 * assert.ok(scan.workers.includes("lib/words/_index_worker.ts"));
 * assert.ok(scan.needs.includes("net"));
 * ```
 */
export async function scanCommand(root: string, name: string): Promise<CommandScan> {
  const rootUrl = new URL(`file://${root.endsWith("/") ? root : `${root}/`}`);
  const modules = new Set<string>();
  const workers = new Set<string>();
  const files = new Set<string>();
  const needs = new Set<PermissionName>();
  const pending = [new URL(`cmd/${name}.ts`, rootUrl).href];
  const seenEntries = new Set<string>();
  while (pending.length > 0) {
    const entry = pending.pop()!;
    if (seenEntries.has(entry)) continue;
    seenEntries.add(entry);
    for (const url of await localModules(root, entry, rootUrl.href)) {
      if (modules.has(url)) continue;
      modules.add(url);
      const source = await Deno.readTextFile(new URL(url));
      permissionsUsed(source).forEach((permission) => needs.add(permission));
      for (const worker of findWorkerModules(source, url)) {
        workers.add(worker);
        pending.push(worker);
      }
      for (const file of findReferencedFiles(source, url)) {
        if (!file.startsWith(rootUrl.href) || workers.has(file)) continue;
        if (await isFile(new URL(file))) files.add(file);
      }
    }
  }
  const relative = (url: string) => url.slice(rootUrl.href.length);
  return {
    modules: [...modules].map(relative).sort(),
    workers: [...workers].map(relative).sort(),
    files: [...files].filter((file) => !workers.has(file)).map(relative).sort(),
    needs: [...needs].sort(),
  };
}

async function isFile(url: URL): Promise<boolean> {
  try {
    return (await Deno.stat(url)).isFile;
  } catch {
    return false;
  }
}

/** The `file:` modules under `rootUrl` in the module graph of `entry`. */
async function localModules(root: string, entry: string, rootUrl: string): Promise<string[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const message = new TextDecoder().decode(output.stderr).trim().split("\n")[0];
    throw new Error(`Cannot read the module graph of "${entry}": ${message}`);
  }
  const graph = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string; kind?: string; error?: string }[];
  };
  return graph.modules
    .filter((module) => module.specifier.startsWith(rootUrl) && !module.error)
    .map((module) => module.specifier);
}
