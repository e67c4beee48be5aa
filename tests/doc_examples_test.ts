/**
 * The JSDoc examples can fail: `deno test --doc` runs every fenced code block in a doc comment,
 * but `console.assert` only prints there, so an example asserting with it passes whatever it
 * computes. This test reads every `.ts` file of lib/, cmd/, tools/ and mod.ts and refuses:
 *
 * - `console.assert` in a doc-comment code block (assert with `node:assert/strict`);
 * - an example that runs (not `ignore`d) without asserting with `node:assert/strict`;
 * - in a public library file (`lib/<package>/name.ts`, not `lib/internal/`, not `_name.ts`), an
 *   example importing a relative path instead of `@netkit/netkit…`, as a user would import it;
 * - an `ignore`d example of one of the core symbols, which must run against loopback peers they
 *   start themselves.
 *
 * Each failure names `file:line` of the offending line.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

/** The symbols whose examples must run, never `ignore`d: file → documented export. */
export const CORE_EXAMPLES: ReadonlyArray<{ file: string; symbol: string }> = [
  { file: "lib/net/socket.ts", symbol: "createClientSocket" },
  { file: "lib/net/socket_stream.ts", symbol: "SocketStream" },
  { file: "lib/dns/resolver.ts", symbol: "resolveHost" },
  { file: "lib/http/client.ts", symbol: "sendHttpRequest" },
  { file: "lib/download/download.ts", symbol: "download" },
  { file: "lib/async/task_pool.ts", symbol: "TaskPool" },
  { file: "lib/async/worker_pool.ts", symbol: "WorkerPool" },
  { file: "lib/process/subprocess.ts", symbol: "subprocess" },
];

/** One fenced code block inside a doc comment. */
export interface DocExample {
  /** Path relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The fence's info string, e.g. `ts ignore`. */
  info: string;
  /** The block's lines without the leading ` * `, each with its 1-based file line. */
  body: { line: number; text: string }[];
  /** The export the comment documents (the first declaration after it), if any. */
  documents: string | undefined;
}

const DECLARATION =
  /^\s*export\s+(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum)\s+([A-Za-z_$][\w$]*)/;

/** Finds the fenced code blocks of the doc comments in `source`. */
export function findDocExamples(file: string, source: string): DocExample[] {
  const lines = source.split("\n");
  const examples: DocExample[] = [];
  let inComment = false;
  let open: DocExample | undefined;
  let pending: DocExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    if (!inComment) {
      if (/^\s*\/\*\*/.test(text) && !/\*\/\s*$/.test(text.replace(/^\s*\/\*\*/, ""))) {
        inComment = true;
        continue;
      }
      if (pending.length > 0 && text.trim() !== "") {
        const name = DECLARATION.exec(text)?.[1];
        for (const example of pending) example.documents = name;
        pending = [];
      }
      continue;
    }
    if (/\*\/\s*$/.test(text)) {
      inComment = false;
      open = undefined;
      continue;
    }
    const content = text.replace(/^\s*\* ?/, "");
    const fence = /^```(.*)$/.exec(content.trimEnd());
    if (fence) {
      if (open) {
        open = undefined;
      } else {
        open = { file, line: i + 1, info: fence[1]!.trim(), body: [], documents: undefined };
        examples.push(open);
        pending.push(open);
      }
      continue;
    }
    open?.body.push({ line: i + 1, text: content });
  }
  return examples;
}

/** The language and attributes of a fence: ```` ```ts ignore ```` → `ts`, `["ignore"]`. */
function fenceInfo(info: string): { language: string; attributes: string[] } {
  const [language = "", ...attributes] = info.split(/[\s,]+/).filter((word) => word !== "");
  return { language, attributes };
}

const CODE_LANGUAGES = new Set(["ts", "typescript", "js", "javascript", "tsx", "jsx", "mts"]);

/** Whether `file` is part of the published library surface (its package's mod.ts exports it). */
function isPublicLibraryFile(file: string): boolean {
  const match = /^lib\/([^/]+)\/([^/]+)$/.exec(file);
  return match !== null && match[1] !== "internal" && !match[2]!.startsWith("_");
}

/** The problems of one file's examples, each `file:line: message`. */
export function checkDocExamples(file: string, source: string): string[] {
  const problems: string[] = [];
  for (const example of findDocExamples(file, source)) {
    const { language, attributes } = fenceInfo(example.info);
    const isCode = CODE_LANGUAGES.has(language);
    for (const { line, text } of example.body) {
      if (/\bconsole\.assert\b/.test(text)) {
        problems.push(
          `${file}:${line}: console.assert in a doc example cannot fail under deno test --doc; ` +
            `use node:assert/strict`,
        );
      }
      if (!isCode || !isPublicLibraryFile(file)) continue;
      const specifier = /(?:^|\s)(?:import|export)\b[^"']*?(?:from\s+)?["']([^"']+)["']/.exec(text)
        ?.[1] ?? /\bimport\(\s*["']([^"']+)["']\s*\)/.exec(text)?.[1];
      if (specifier !== undefined && /^\.\.?\//.test(specifier)) {
        problems.push(
          `${file}:${line}: the example imports "${specifier}"; import the public path ` +
            `("@netkit/netkit/…") as a user would`,
        );
      }
    }
    const asserts = example.body.some(({ text }) =>
      /^\s*import assert from "node:assert\/strict";/.test(text)
    ) && example.body.some(({ text }) => /\bassert(\.\w+)?\(/.test(text));
    if (isCode && !attributes.includes("ignore") && !asserts) {
      problems.push(
        `${file}:${example.line}: the example asserts nothing; check its results with ` +
          `import assert from "node:assert/strict"`,
      );
    }
    if (attributes.includes("ignore") && isCode) {
      const core = CORE_EXAMPLES.find((entry) =>
        entry.file === file && entry.symbol === example.documents
      );
      if (core) {
        problems.push(
          `${file}:${example.line}: the example of ${core.symbol} is ignored; core examples ` +
            `run against loopback peers they start`,
        );
      }
    }
  }
  return problems;
}

async function* typeScriptFiles(directory: URL, prefix: string): AsyncGenerator<string> {
  const entries: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(directory)) entries.push(entry);
  entries.sort((a, b) => a.name < b.name ? -1 : 1);
  for (const entry of entries) {
    if (entry.isDirectory) {
      yield* typeScriptFiles(new URL(`${entry.name}/`, directory), `${prefix}${entry.name}/`);
    } else if (entry.isFile && entry.name.endsWith(".ts")) {
      yield `${prefix}${entry.name}`;
    }
  }
}

async function sourceFiles(): Promise<string[]> {
  const files = ["mod.ts"];
  for (const folder of ["lib", "cmd", "tools"]) {
    for await (const file of typeScriptFiles(new URL(`${folder}/`, ROOT), `${folder}/`)) {
      files.push(file);
    }
  }
  return files;
}

Deno.test("doc examples assert with node:assert/strict, import public paths, run the core ones", async () => {
  const problems: string[] = [];
  for (const file of await sourceFiles()) {
    problems.push(...checkDocExamples(file, await Deno.readTextFile(new URL(file, ROOT))));
  }
  assert.deepEqual(problems, [], `\n${problems.join("\n")}\n`);
});

Deno.test("doc examples: every core symbol has an example that runs", async () => {
  const missing: string[] = [];
  for (const { file, symbol } of CORE_EXAMPLES) {
    const examples = findDocExamples(file, await Deno.readTextFile(new URL(file, ROOT)))
      .filter((example) => example.documents === symbol);
    const running = examples.filter((example) => {
      const { language, attributes } = fenceInfo(example.info);
      return CODE_LANGUAGES.has(language) && !attributes.includes("ignore");
    });
    if (running.length === 0) missing.push(`${file}: ${symbol} has no example that runs`);
  }
  assert.deepEqual(missing, [], `\n${missing.join("\n")}\n`);
});

Deno.test("checkDocExamples() names file:line of console.assert, relative imports and ignored core examples", () => {
  const source = [
    "/**",
    " * Opens.",
    " *",
    " * @example",
    " * ```ts ignore",
    ' * import { createClientSocket } from "./socket.ts";',
    " * console.assert(true);",
    " * ```",
    " */",
    "export async function createClientSocket() {}",
    "",
    "/**",
    " * ```ts",
    ' * import assert from "node:assert/strict";',
    ' * import { parsePort } from "@netkit/netkit/net";',
    ' * assert.equal(parsePort("80"), 80);',
    " * ```",
    " */",
    "export function parsePort() {}",
  ].join("\n");
  assert.deepEqual(checkDocExamples("lib/net/socket.ts", source).map((p) => p.split(": ")[0]), [
    "lib/net/socket.ts:6",
    "lib/net/socket.ts:7",
    "lib/net/socket.ts:5",
  ]);
  // An example that runs must assert something.
  const silent = [
    "/**",
    " * ```ts",
    ' * import { parsePort } from "@netkit/netkit/net";',
    ' * parsePort("80");',
    " * ```",
    " */",
  ];
  assert.deepEqual(
    checkDocExamples("lib/net/socket.ts", silent.join("\n")).map((p) => p.split(": ")[0]),
    [
      "lib/net/socket.ts:2",
    ],
  );
  // Private files, lib/internal/, cmd/ and tools/ import relatively.
  assert.deepEqual(checkDocExamples("lib/net/_read_deadline.ts", source).length, 1);
  assert.deepEqual(checkDocExamples("lib/internal/quote.ts", source).length, 1);
  assert.deepEqual(checkDocExamples("cmd/_wget/command.ts", source).length, 1);
  assert.deepEqual(findDocExamples("x.ts", source).map((e) => [e.line, e.info, e.documents]), [
    [5, "ts ignore", "createClientSocket"],
    [13, "ts", "parsePort"],
  ]);
});
