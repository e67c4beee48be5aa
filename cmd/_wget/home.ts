/**
 * The user's home directory as GNU Wget 1.21.3 finds it (its home_dir, init.c): `$HOME` as it is,
 * empty too, else the home of the user's entry in /etc/passwd. `~/.wgetrc`, `~/.netrc`,
 * `~/.wget-hsts` and a `.wgetrc` line's leading `~/` are read from there.
 *
 * @module
 */

/**
 * GNU's home_dir: `$HOME` when it is set (an empty one too: GNU then reads `/.wgetrc`), else the
 * home field of the first /etc/passwd entry with this process's user id; undefined when neither
 * gives one.
 *
 * @param env Where `HOME` is read. @default Deno.env
 * @param passwd The passwd file. @default "/etc/passwd"
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { homeDirectory } from "./home.ts";
 *
 * assert.equal(homeDirectory({ get: () => "/home/u" }), "/home/u");
 * assert.equal(homeDirectory({ get: () => "" }), "");
 * const dir = await Deno.makeTempDir();
 * const uid = Deno.uid();
 * await Deno.writeTextFile(`${dir}/passwd`, `x:x:${uid}:0::/from/passwd:/bin/sh\n`);
 * assert.equal(homeDirectory({ get: () => undefined }, `${dir}/passwd`), "/from/passwd");
 * assert.equal(homeDirectory({ get: () => undefined }, `${dir}/none`), undefined);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function homeDirectory(
  env: { get(name: string): string | undefined } = Deno.env,
  passwd = "/etc/passwd",
): string | undefined {
  const home = env.get("HOME");
  if (home !== undefined) return home;
  // Read once a run (a run asks up to four times: .wgetrc, .netrc, .wget-hsts, `~/` in
  // .wgetrc), as GNU's home_dir keeps what it found.
  if (!passwdHomes.has(passwd)) passwdHomes.set(passwd, passwdHome(passwd));
  return passwdHomes.get(passwd);
}

/** What {@linkcode passwdHome} found, by passwd file. */
const passwdHomes = new Map<string, string | undefined>();

/** The home field of the first entry of `passwd` with this process's user id. */
function passwdHome(passwd: string): string | undefined {
  const uid = Deno.uid();
  if (uid === null) return undefined;
  try {
    for (const line of Deno.readTextFileSync(passwd).split("\n")) {
      const fields = line.split(":");
      // The first entry of the user, as getpwuid's (an empty home field too).
      if (fields[2] === String(uid) && fields[5] !== undefined) return fields[5];
    }
  } catch {
    // No passwd file: no home.
  }
  return undefined;
}
