/**
 * Runs a program as if the system's name-service files were the test's own: as root, in a mount
 * namespace (`unshare -m`) where the files given are bind-mounted over their `/etc` namesakes
 * (resolv.conf, hosts, nsswitch.conf, host.conf). glibc's getent, Deno and netkit then read the same
 * configuration; nothing outside the namespace sees it.
 *
 * @module
 */

import { ROOT } from "./run.ts";

/** Files to put over `/etc/NAME`, by NAME, with their text. */
export type EtcFiles = Partial<
  Record<"resolv.conf" | "hosts" | "nsswitch.conf" | "host.conf", string>
>;

/** What the program printed, and how long it ran. */
export interface NamespaceRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Why namespace tests cannot run here (not root, no unshare, no namespaces, a tool missing), or
 * undefined when they can.
 *
 * @param tools Programs the tests need besides unshare.
 */
export function etcNamespaceUnavailable(tools: string[] = []): string | undefined {
  try {
    if (Deno.uid() !== 0) return "needs root for unshare -m";
    for (const tool of ["unshare", ...tools]) {
      const found = new Deno.Command("sh", { args: ["-c", `command -v ${tool}`] }).outputSync();
      if (!found.success) return `${tool} is not installed`;
    }
    const probe = new Deno.Command("unshare", { args: ["-m", "true"] }).outputSync();
    if (!probe.success) return "unshare -m is not permitted here";
  } catch (error) {
    return `cannot probe: ${error}`;
  }
  return undefined;
}

/**
 * Why tests of a dual-stack hosts file cannot run here: {@linkcode etcNamespaceUnavailable}'s
 * reasons, or no IPv6 loopback; undefined when they can.
 */
export function dualStackNamespaceUnavailable(tools: string[] = []): string | undefined {
  const unavailable = etcNamespaceUnavailable(tools);
  if (unavailable) return unavailable;
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
  } catch (error) {
    return `no IPv6 loopback: ${error}`;
  }
  return undefined;
}

/**
 * Writes `files` into `dir` and returns the command that runs a program (its argv appended) in a
 * mount namespace with each bind-mounted over `/etc`.
 */
export async function etcNamespaceCommand(dir: string, files: EtcFiles): Promise<string[]> {
  const mounts: string[] = [];
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
    mounts.push(`mount --bind ${dir}/${name} /etc/${name}`);
  }
  const script = [...mounts, 'exec "$@"'].join(" && ");
  return ["unshare", "-m", "sh", "-c", script, "sh"];
}

/**
 * Writes `files` into `dir`, then runs `argv` (from the repository's root) in a mount namespace
 * with each bind-mounted over `/etc`.
 */
export async function runWithEtcFiles(
  dir: string,
  files: EtcFiles,
  argv: string[],
  env: Record<string, string> = {},
): Promise<NamespaceRun> {
  const [unshare, ...prefix] = await etcNamespaceCommand(dir, files);
  const started = performance.now();
  const output = await new Deno.Command(unshare!, {
    args: [...prefix, ...argv],
    // No update check: Deno looks up dl.deno.land in the background of a run that lasts over a
    // second, through the namespace's resolv.conf, so a test's name server saw its questions.
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", ...env },
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
    ms: performance.now() - started,
  };
}

/** The command line that runs netkit's resolve-hostname with `args` (from the repository's root). */
export function resolveHostnameCommand(...args: string[]): string[] {
  return [Deno.execPath(), "run", "-A", "cmd/resolve-hostname.ts", ...args];
}

/**
 * Runs `getent ahosts NAME` and `resolve-hostname --ahosts NAME` on the same files (and
 * environment), for a test to compare: what each printed.
 */
export async function ahostsSideBySide(
  dir: string,
  files: EtcFiles,
  name: string,
  env: Record<string, string> = {},
): Promise<{ glibc: string; netkit: string }> {
  const glibc = await runWithEtcFiles(dir, files, ["getent", "ahosts", name], env);
  const netkit = await runWithEtcFiles(dir, files, resolveHostnameCommand("--ahosts", name), env);
  return { glibc: glibc.stdout, netkit: netkit.stdout };
}

/**
 * {@linkcode runWithEtcFiles} with some of `/etc` missing as well: in the mount namespace, `/etc`
 * becomes an empty directory where every entry of the real one is a symbolic link to it, but
 * those named in `absent` (say `hosts`), and `files` are written in.
 */
export async function runWithEtcFilesAbsent(
  dir: string,
  files: EtcFiles,
  absent: string[],
  argv: string[],
  env: Record<string, string> = {},
): Promise<NamespaceRun> {
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
  const skip = new Set([...absent, ...Object.keys(files)]);
  const script = [
    `mkdir -p ${dir}/real-etc`,
    `mount --bind /etc ${dir}/real-etc`,
    "mount -t tmpfs tmpfs /etc",
    `for entry in ${dir}/real-etc/* ${dir}/real-etc/.[!.]*; do`,
    '  name="${entry##*/}"',
    `  case " ${[...skip].join(" ")} " in *" $name "*) ;; *) ln -s "$entry" "/etc/$name" ;; esac`,
    "done",
    ...Object.keys(files).map((name) => `cp ${dir}/${name} /etc/${name}`),
    'exec "$@"',
  ].join("\n");
  // A namespace of its own (no files bind-mounted), where the script sets /etc up, then runs argv.
  return await runWithEtcFiles(dir, {}, ["sh", "-c", script, "sh", ...argv], env);
}
