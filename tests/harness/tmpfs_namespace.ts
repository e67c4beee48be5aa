/**
 * Runs GNU wget or netkit's in a small file system of its own: as root, in a mount namespace
 * (`unshare -m`) where a tmpfs of a few hundred KiB is the download directory, so a download
 * larger than that meets a full disk (`ENOSPC`) as a user's would. Several commands may run in
 * turn in the same file system, the space grown between them (`mount -o remount,size=…`), and
 * what they leave is copied out (mtimes kept) before the namespace goes.
 *
 * @module
 */

import { etcNamespaceUnavailable } from "./etc_namespace.ts";
import { ROOT } from "./run.ts";

/** One command of a run: wget's arguments, and the file system's size before it starts. */
export interface TmpfsStep {
  args: string[];
  /** Remount the tmpfs with this size (KiB) first (more space: the user freed some). */
  resizeKiB?: number;
}

/** What one command of a run did. */
export interface TmpfsStepResult {
  code: number;
  stderr: string;
}

/** What a run left: each step's outcome, and every file (by path) with its bytes and mtime. */
export interface TmpfsRun {
  steps: TmpfsStepResult[];
  files: Map<string, { bytes: Uint8Array; mtime: number }>;
}

/**
 * Why tmpfs runs cannot happen here (not root, no unshare, no tmpfs mounts, no GNU wget), or
 * undefined when they can.
 */
export function tmpfsNamespaceUnavailable(): string | undefined {
  const unavailable = etcNamespaceUnavailable(["wget", "mount"]);
  if (unavailable) return unavailable;
  try {
    const dir = Deno.makeTempDirSync({ prefix: "netkit_tmpfs_probe_" });
    try {
      const probe = new Deno.Command("unshare", {
        args: ["-m", "mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", dir],
        stderr: "null",
      }).outputSync();
      if (!probe.success) return "mount -t tmpfs is not permitted in a mount namespace here";
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  } catch (error) {
    return `cannot probe tmpfs: ${error}`;
  }
  return undefined;
}

const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

/**
 * Runs `steps` with GNU wget (`gnu`) or netkit's, in order, with `dir/mnt` a tmpfs of `sizeKiB`
 * KiB as the working directory (`readOnly` names directories in it mounted read-only, holding
 * what `seed` puts there first: text by path, each with an mtime of 2020; `full` names
 * directories in it that are file systems of their own, filled to the last byte by a file
 * `fill`: a log written there meets `ENOSPC`).
 */
export async function runInTmpfs(
  tool: "gnu" | "netkit",
  dir: string,
  sizeKiB: number,
  steps: TmpfsStep[],
  options: { readOnly?: string[]; seed?: Record<string, string>; full?: string[] } = {},
): Promise<TmpfsRun> {
  const mnt = `${dir}/mnt`;
  const out = `${dir}/out`;
  await Deno.mkdir(mnt, { recursive: true });
  await Deno.mkdir(`${out}/tree`, { recursive: true });
  const wget = tool === "gnu" ? ["wget"] : [Deno.execPath(), "run", "-A", `${ROOT}/cmd/wget.ts`];
  const lines = [
    `mount -t tmpfs -o size=${sizeKiB}k tmpfs ${quote(mnt)} || exit 99`,
    ...(options.readOnly ?? []).flatMap((name) => [
      `mkdir ${quote(`${mnt}/${name}`)}`,
      `mount -t tmpfs -o size=64k tmpfs ${quote(`${mnt}/${name}`)} || exit 99`,
    ]),
    // The user's files (an mtime of 2020 each), written before the read-only remount.
    ...Object.entries(options.seed ?? {}).flatMap(([path, text]) => [
      `printf %s ${quote(text)} >${quote(`${mnt}/${path}`)}`,
      `touch -d 2020-01-01T00:00:00Z ${quote(`${mnt}/${path}`)}`,
    ]),
    ...(options.readOnly ?? []).map((name) =>
      `mount -o remount,ro ${quote(`${mnt}/${name}`)} || exit 99`
    ),
    ...(options.full ?? []).flatMap((name) => [
      `mkdir ${quote(`${mnt}/${name}`)}`,
      `mount -t tmpfs -o size=4k tmpfs ${quote(`${mnt}/${name}`)} || exit 99`,
      `cat /dev/zero >${quote(`${mnt}/${name}/fill`)} 2>/dev/null`,
    ]),
    `cd ${quote(mnt)}`,
    ...steps.flatMap((step, i) => [
      ...(step.resizeKiB ? [`mount -o remount,size=${step.resizeKiB}k ${quote(mnt)}`] : []),
      `${[...wget, ...step.args].map(quote).join(" ")} 2>${quote(`${out}/stderr-${i}`)}`,
      `echo $? >${quote(`${out}/code-${i}`)}`,
    ]),
    // The tree, mtimes kept, before the namespace (and its tmpfs) goes.
    `cp -a . ${quote(`${out}/tree/`)}`,
  ];
  const run = await new Deno.Command("unshare", {
    args: ["-m", "sh", "-c", lines.join("\n")],
    env: { LC_ALL: "C.UTF-8", NO_COLOR: "1" },
    stdout: "null",
    stderr: "piped",
  }).output();
  if (run.code === 99) {
    throw new Error(`tmpfs mount failed: ${new TextDecoder().decode(run.stderr)}`);
  }
  const results: TmpfsStepResult[] = [];
  for (let i = 0; i < steps.length; i++) {
    results.push({
      code: Number((await Deno.readTextFile(`${out}/code-${i}`)).trim()),
      stderr: await Deno.readTextFile(`${out}/stderr-${i}`),
    });
  }
  const files = new Map<string, { bytes: Uint8Array; mtime: number }>();
  const walk = async (path: string, prefix: string) => {
    for await (const entry of Deno.readDir(path)) {
      const full = `${path}/${entry.name}`;
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory) await walk(full, `${name}/`);
      else {
        const info = await Deno.lstat(full);
        files.set(name, { bytes: await Deno.readFile(full), mtime: info.mtime?.getTime() ?? 0 });
      }
    }
  };
  await walk(`${out}/tree`, "");
  return { steps: results, files };
}
