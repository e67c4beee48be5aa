/**
 * The `.wgetrc` files GNU Wget 1.21.3 reads and when it gives up on them: its main.c reads them
 * between its two readings of the command line (after the first one's getopt errors, before any
 * option or `-e` runs), and its run_wgetrc reports every bad line of a file, each in GNU's words,
 * before wget exits (2).
 *
 * @module
 */

import { osErrorText } from "../../lib/internal/os_error_text.ts";
import { homeDirectory } from "./home.ts";
import { quoteName } from "./quote_name.ts";
import { wgetrcLineErrors } from "./wgetrc_command.ts";

/** A `.wgetrc` file's name and text. */
export interface Wgetrc {
  path: string;
  text: string;
}

/** Which files the command line chose: `--config FILE` or `--no-config` (the first of them). */
export interface WgetrcChoice {
  config?: string | undefined;
  "no-config"?: boolean | undefined;
}

/**
 * Reads the `.wgetrc` files GNU wget reads, in its order, and checks their lines as it does: the
 * system's (`$SYSTEM_WGETRC` when that file is there, else `/etc/wgetrc` when that one is), then
 * the user's (`$WGETRC`, which must be a regular file its mode bits let the user read, not
 * /dev/null, else `~/.wgetrc` when there is one: `$HOME`, or the passwd entry's home);
 * `--config FILE` reads FILE alone, `--no-config` none.
 *
 * @param say Prints one line of wget's log (GNU's errors, with their `wget: `).
 * @returns The files, or the exit code after their errors were said: 2 for a bad line (every bad
 * line of the file said, then GNU's closing words for a system file or `--config`'s), or a
 * `--config` file that is not there; 1 when `$WGETRC` names a file that is not there or that
 * GNU's file_exists_p refuses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readWgetrcFiles } from "./wgetrc_files.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/rc`, "tries = 3\nrobots = maybe\nbogus = 1\n");
 * const said: string[] = [];
 * assert.equal(readWgetrcFiles({ config: `${dir}/rc` }, (line) => said.push(line)), 2);
 * assert.equal(said.length, 4);
 * assert.equal(said[3], `Exiting due to error in ${dir}/rc`);
 * await Deno.writeTextFile(`${dir}/rc`, "tries = 3\n");
 * assert.deepEqual(readWgetrcFiles({ config: `${dir}/rc` }, () => {}), [
 *   { path: `${dir}/rc`, text: "tries = 3\n" },
 * ]);
 * assert.deepEqual(readWgetrcFiles({ "no-config": true }, () => {}), []);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function readWgetrcFiles(
  choice: WgetrcChoice,
  say: (line: string) => void,
): Wgetrc[] | number {
  if (choice["no-config"]) return [];
  const chosen = choice.config;
  if (chosen !== undefined) {
    const rc = readFile(chosen);
    if (rc === undefined || !checked(rc, say)) {
      say(`Exiting due to error in ${chosen}`);
      return EXIT_PARSE;
    }
    return [rc];
  }
  const found: Wgetrc[] = [];
  // $SYSTEM_WGETRC when that file is there, else /etc/wgetrc when that one is.
  const fromEnv = Deno.env.get("SYSTEM_WGETRC");
  const envRc = fromEnv ? readFile(fromEnv) : undefined;
  const system = envRc ?? readFile(SYSTEM_WGETRC);
  if (system) {
    if (!checked(system, say)) {
      say(
        `Parsing system wgetrc file${envRc ? " (env SYSTEM_WGETRC)" : ""} failed.  Please check\n` +
          `'${system.path}',\nor specify a different file using --config.`,
      );
      return EXIT_PARSE;
    }
    found.push(system);
  }
  const named = Deno.env.get("WGETRC");
  let user: Wgetrc | undefined;
  if (named) {
    let problem = notReadableFile(named);
    if (problem === undefined) {
      try {
        user = { path: named, text: Deno.readTextFileSync(named) };
      } catch (error) {
        problem = osErrorText(error);
      }
    }
    if (problem !== undefined) {
      say(
        `wget: WGETRC points to ${named}, which couldn't be accessed because of error: ${problem}.`,
      );
      return EXIT_GENERIC;
    }
  } else {
    const home = homeDirectory();
    if (home !== undefined) user = readFile(`${home}/.wgetrc`);
  }
  if (user?.path === SYSTEM_WGETRC) {
    // GNU's warning, and the file is not read twice.
    say(`wget: Warning: Both system and user wgetrc point to ${quoteName(user.path)}.`);
  } else if (user) {
    if (!checked(user, say)) return EXIT_PARSE;
    found.push(user);
  }
  return found;
}

/** GNU's WGET_EXIT_PARSE_ERROR and WGET_EXIT_GENERIC_ERROR. */
const EXIT_PARSE = 2;
const EXIT_GENERIC = 1;

/** Debian's GNU wget's system file. */
const SYSTEM_WGETRC = "/etc/wgetrc";

/**
 * Why GNU wget's file_exists_p refuses `path`, in strerror's words, or undefined when it takes it:
 * the file must be a regular file (not /dev/null, not a directory) whose mode bits let the user
 * read it (as its owner, a member of its group, or anyone), whoever the user is (root too).
 */
function notReadableFile(path: string): string | undefined {
  let stat: Deno.FileInfo;
  try {
    stat = Deno.statSync(path);
  } catch (error) {
    return osErrorText(error);
  }
  const mode = stat.mode ?? 0o444;
  const readable = (mode & 0o400 && stat.uid === Deno.uid()) ||
    (mode & 0o040 && stat.gid !== null && inGroup(stat.gid)) || mode & 0o004;
  return stat.isFile && readable ? undefined : "Permission denied";
}

/** Whether the process is in group `gid`: its own group or a supplementary one. */
function inGroup(gid: number): boolean {
  if (gid === Deno.gid()) return true;
  try {
    const groups = /^Groups:(.*)$/m.exec(Deno.readTextFileSync("/proc/self/status"))?.[1] ?? "";
    return groups.trim().split(/\s+/).includes(String(gid));
  } catch {
    return false;
  }
}

/** The file at `path`, or undefined when it cannot be read. */
function readFile(path: string): Wgetrc | undefined {
  try {
    return { path, text: Deno.readTextFileSync(path) };
  } catch {
    return undefined;
  }
}

/** Says GNU's lines for each bad line of `rc`; whether there was none. */
function checked(rc: Wgetrc, say: (line: string) => void): boolean {
  let good = true;
  // GNU's getline: lines end at each newline.
  const lines = rc.text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const [index, line] of lines.entries()) {
    for (const error of wgetrcLineErrors(line, `${rc.path} at line ${index + 1}`)) {
      say(`wget: ${error}`);
      good = false;
    }
  }
  return good;
}
