/**
 * wget's command line read as GNU Wget 1.21.3 reads it: glibc's `getopt_long` over GNU's option
 * table (cmd/_wget/gnu_options.ts), then each option applied in order as GNU's `setoptval` does,
 * onto the option values netkit's wget runs with (cmd/_wget/command.ts's `WgetValues`).
 *
 * What getopt_long does and this does too: a long option may be shortened to any unambiguous
 * prefix (`--no-check-cert`; an exact name wins over longer ones); `--NAME=VALUE` or `--NAME
 * VALUE`; an option's argument is the next argument whatever it is (`-O -foo`); short options
 * cluster (`-qO-`, `-t0`, `-nvc`); operands may come before options (they are permuted); `--`
 * ends the options. GNU's table adds a `no-NAME` twin to every boolean, and a boolean takes
 * `--NAME=on|off|yes|no|1|0`; the last of an option and its twin wins.
 *
 * Errors are GNU's: getopt's words for every malformed option first (GNU reads its command line
 * twice: once to find `--config`, saying what is wrong as it goes, until a `--config` or
 * `--no-config`), then its short usage, exit 2; a bad `-n` letter or boolean value in GNU's
 * words, exit 1 and 2. All of it on stderr as wget's log: a write that fails changes no exit code.
 *
 * @module
 */

import { GNU_LONG_OPTIONS, GNU_SHORT_OPTIONS } from "./gnu_options.ts";
import { quoteName } from "./quote_name.ts";
import { forgivingLog, type LogSink } from "./log_output.ts";
import { VERSION } from "../../lib/internal/version.ts";
import { gnuProgressType, usage, USAGE_TAIL } from "./spec.ts";
import {
  applyWgetrcSetting,
  checkWgetValue,
  commandOfOption,
  executeError,
  splitWgetrcLine,
  type WgetrcTarget,
} from "./wgetrc_command.ts";
import { readWgetrcFiles, type Wgetrc } from "./wgetrc_files.ts";

/** What {@linkcode parseWgetCommandLine} found. */
export interface WgetCommandLine {
  /** The option values, by netkit's long names (`WgetValues`). */
  values: Record<string, unknown>;
  /** The operands (URLs), in order. */
  positionals: string[];
  /** Where the options end in the arguments: the index of the `--` that ends them, else the length. */
  optionsEnd: number;
  /** The `.wgetrc` files read (GNU reads them between its two readings), their lines checked. */
  wgetrcs?: Wgetrc[];
}

/** Where {@linkcode parseWgetCommandLine} prints: `--help` and `--version` on `stdout`. */
export interface WgetCommandLineOutput {
  stdout: LogSink;
  stderr: LogSink;
  /** Reads and checks the `.wgetrc` files (tests give their own). @default readWgetrcFiles */
  readWgetrcs?: typeof readWgetrcFiles;
}

/** The exit code of a command line getopt refuses (GNU's WGET_EXIT_PARSE_ERROR). */
const EXIT_PARSE = 2;

/** netkit's own long options, beyond GNU 1.21.3's table: matched only when GNU's match nothing. */
const NETKIT_LONG_OPTIONS = ["max-threads="];

/**
 * What each GNU option (by its table name, a boolean's twin by the boolean's) does to the values:
 * `=KEY` sets the string KEY, `+KEY` adds to the list KEY, `?KEY` sets the boolean KEY, `!KEY`
 * sets it to the opposite (GNU's `--no-check-certificate` is netkit's `no-check-certificate`),
 * `~KEY` a boolean whose command takes a value (`--backups=3`; bare `1`, its twin `0`), `e:NAME`
 * adds `NAME=VALUE` to the `-e` commands (a boolean's value as on/off): options with no effect on
 * netkit's HTTP downloads, ignored or warned about there; `x` is refused (a boolean only when
 * turned on). Options with an entry of `*` are handled in {@linkcode applyOption}.
 */
const ACTIONS: Record<string, string> = {
  accept: "+accept",
  "accept-regex": "=accept-regex",
  "adjust-extension": "?adjust-extension",
  "append-output": "*",
  "ask-password": "?ask-password",
  "auth-no-challenge": "?auth-no-challenge",
  background: "?background",
  "backup-converted": "?backup-converted",
  backups: "~backups",
  base: "=base",
  "bind-address": "e:bind_address",
  "body-data": "=body-data",
  "body-file": "=body-file",
  "ca-certificate": "=ca-certificate",
  "ca-directory": "=ca-directory",
  cache: "?cache",
  certificate: "=certificate",
  "certificate-type": "=certificate-type",
  "check-certificate": "*",
  clobber: "*",
  compression: "=compression",
  config: "=config",
  "connect-timeout": "=connect-timeout",
  continue: "?continue",
  "convert-file-only": "?convert-file-only",
  "convert-links": "?convert-links",
  "content-disposition": "?content-disposition",
  "content-on-error": "?content-on-error",
  cookies: "!no-cookies",
  "crl-file": "e:crl_file",
  "cut-dirs": "=cut-dirs",
  debug: "e:debug",
  "default-page": "=default-page",
  "delete-after": "?delete-after",
  directories: "*",
  "directory-prefix": "=directory-prefix",
  "dns-cache": "e:dns_cache",
  "dns-timeout": "=dns-timeout",
  domains: "+domains",
  "dont-remove-listing": "*",
  "dot-style": "e:dot_style",
  "egd-file": "e:egd_file",
  "exclude-directories": "+exclude-directories",
  "exclude-domains": "+exclude-domains",
  execute: "+execute",
  "follow-ftp": "e:follow_ftp",
  "follow-tags": "+follow-tags",
  "force-directories": "*",
  "force-html": "?force-html",
  "ftp-password": "e:ftp_password",
  "ftp-user": "e:ftp_user",
  "ftps-clear-data-connection": "x",
  "ftps-fallback-to-ftp": "x",
  "ftps-implicit": "x",
  "ftps-resume-ssl": "x",
  glob: "!no-glob",
  header: "+header",
  help: "*",
  "host-directories": "!no-host-directories",
  hsts: "e:hsts",
  "hsts-file": "e:hsts_file",
  "html-extension": "?adjust-extension",
  htmlify: "e:htmlify",
  "http-keep-alive": "e:http_keep_alive",
  "http-passwd": "=http-password",
  "http-password": "=http-password",
  "http-user": "=http-user",
  "https-only": "?https-only",
  "ignore-case": "?ignore-case",
  "ignore-length": "?ignore-length",
  "ignore-tags": "+ignore-tags",
  "include-directories": "+include-directories",
  "inet4-only": "?inet4-only",
  "inet6-only": "?inet6-only",
  "input-file": "=input-file",
  iri: "e:iri",
  "keep-badhash": "e:keep_badhash",
  "keep-session-cookies": "?keep-session-cookies",
  level: "=level",
  "limit-rate": "=limit-rate",
  "load-cookies": "=load-cookies",
  "local-encoding": "e:local_encoding",
  "rejected-log": "=rejected-log",
  "max-redirect": "=max-redirect",
  method: "=method",
  mirror: "*",
  netrc: "?netrc",
  no: "*",
  "no-clobber": "?no-clobber",
  "no-config": "?no-config",
  "no-parent": "?no-parent",
  "output-document": "=output-document",
  "output-file": "*",
  "page-requisites": "?page-requisites",
  parent: "*",
  "passive-ftp": "e:passive_ftp",
  password: "=password",
  pinnedpubkey: "e:pinnedpubkey",
  "post-data": "=post-data",
  "post-file": "=post-file",
  "prefer-family": "=prefer-family",
  "preserve-permissions": "e:preserve_permissions",
  ciphers: "e:ciphers",
  "private-key": "=private-key",
  "private-key-type": "=private-key-type",
  progress: "*",
  "show-progress": "?show-progress",
  "protocol-directories": "?protocol-directories",
  proxy: "!no-proxy",
  proxy__compat: "*",
  "proxy-passwd": "=proxy-password",
  "proxy-password": "=proxy-password",
  "proxy-user": "=proxy-user",
  quiet: "?quiet",
  quota: "=quota",
  "random-file": "e:random_file",
  "random-wait": "?random-wait",
  "read-timeout": "=read-timeout",
  recursive: "?recursive",
  referer: "=referer",
  "regex-type": "=regex-type",
  reject: "+reject",
  "reject-regex": "=reject-regex",
  relative: "?relative",
  "remote-encoding": "e:remote_encoding",
  "remove-listing": "e:remove_listing",
  "report-speed": "~e:report_speed",
  "restrict-file-names": "~restrict-file-names",
  "retr-symlinks": "e:retr_symlinks",
  "retry-connrefused": "?retry-connrefused",
  "retry-on-host-error": "e:retry_on_host_error",
  "retry-on-http-error": "=retry-on-http-error",
  "save-cookies": "=save-cookies",
  "save-headers": "?save-headers",
  "secure-protocol": "e:secure_protocol",
  "server-response": "?server-response",
  "span-hosts": "?span-hosts",
  spider: "?spider",
  "start-pos": "e:start_pos",
  "strict-comments": "e:strict_comments",
  timeout: "=timeout",
  timestamping: "?timestamping",
  "if-modified-since": "!no-if-modified-since",
  tries: "=tries",
  unlink: "?unlink",
  "trust-server-names": "?trust-server-names",
  "use-askpass": "x",
  "use-server-timestamps": "!no-use-server-timestamps",
  user: "=user",
  "user-agent": "=user-agent",
  verbose: "*",
  version: "*",
  wait: "=wait",
  waitretry: "=waitretry",
  "warc-cdx": "x",
  "warc-compression": "x",
  "warc-dedup": "x",
  "warc-digests": "x",
  "warc-file": "e:warc_file",
  "warc-header": "x",
  "warc-keep-log": "x",
  "warc-max-size": "x",
  "warc-tempdir": "x",
  xattr: "e:xattr",
  "max-threads": "=max-threads",
};

/** One option as getopt returned it, or getopt's complaint. */
type Token =
  | { name: string; value: string | undefined; error?: undefined }
  | { error: string; name?: undefined };

/** The long options: name, and 0 (no argument), 1 (required) or 2 (optional). */
const longOptions = (function longOptions(list: readonly string[]): [string, number][] {
  return list.map((entry) => {
    const last = entry[entry.length - 1];
    if (last === "=") return [entry.slice(0, -1), 1];
    if (last === "?") return [entry.slice(0, -1), 2];
    return [entry, 0];
  });
}).bind(undefined);

const GNU_LONG = longOptions(GNU_LONG_OPTIONS);
const NETKIT_LONG = longOptions(NETKIT_LONG_OPTIONS);
const KIND = new Map([...GNU_LONG, ...NETKIT_LONG]);

/**
 * The long option `text` (after `--`, up to any `=`) names: an exact name, else the one option it
 * begins (netkit's own only when no GNU option matches); an array when it begins several.
 */
const findLong = (function findLong(text: string): string | string[] | undefined {
  if (KIND.has(text)) return text;
  for (const table of [GNU_LONG, NETKIT_LONG]) {
    const matches = table.filter(([name]) => name.startsWith(text)).map(([name]) => name);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) return matches;
  }
  return undefined;
}).bind(undefined);

/**
 * One argument as getopt_long sees it: an option (its words: the argument, and the next one when
 * that is the option's value; the options and complaints in it), an operand, or the `--` that
 * ends the options (with the arguments after it).
 */
type Unit =
  | { kind: "option"; words: string[]; tokens: Token[]; start: number }
  | { kind: "operand"; word: string }
  | { kind: "end"; rest: string[]; start: number };

/** The arguments as glibc's getopt_long reads them over GNU wget's table, in order. */
const scan = (function scan(args: readonly string[]): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      units.push({ kind: "end", rest: args.slice(i + 1), start: i });
      break;
    }
    if (arg[0] !== "-" || arg === "-") {
      units.push({ kind: "operand", word: arg });
      continue;
    }
    const start = i;
    const tokens: Token[] = [];
    if (arg[1] === "-") {
      const body = arg.slice(2);
      const equals = body.indexOf("=");
      const found = findLong(equals < 0 ? body : body.slice(0, equals));
      if (found === undefined) {
        tokens.push({ error: `unrecognized option '--${body}'` });
      } else if (Array.isArray(found)) {
        const possibilities = found.map((name) => ` '--${name}'`).join("");
        tokens.push({ error: `option '--${body}' is ambiguous; possibilities:${possibilities}` });
      } else {
        const kind = KIND.get(found)!;
        if (equals >= 0 && kind === 0) {
          tokens.push({ error: `option '--${found}' doesn't allow an argument` });
        } else if (equals >= 0) {
          tokens.push({ name: found, value: body.slice(equals + 1) });
        } else if (kind !== 1) {
          tokens.push({ name: found, value: undefined });
        } else if (i + 1 < args.length) {
          tokens.push({ name: found, value: args[++i] });
        } else {
          tokens.push({ error: `option '--${found}' requires an argument` });
        }
      }
    } else {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j]!;
        const name = Object.hasOwn(GNU_SHORT_OPTIONS, letter)
          ? GNU_SHORT_OPTIONS[letter]
          : undefined;
        if (name === undefined) {
          tokens.push({ error: `invalid option -- '${letter}'` });
        } else if (KIND.get(name) !== 1) {
          tokens.push({ name, value: undefined });
        } else {
          if (j + 1 < arg.length) tokens.push({ name, value: arg.slice(j + 1) });
          else if (i + 1 < args.length) tokens.push({ name, value: args[++i] });
          else tokens.push({ error: `option requires an argument -- '${letter}'` });
          break;
        }
      }
    }
    units.push({ kind: "option", words: args.slice(start, i + 1), tokens, start });
  }
  return units;
}).bind(undefined);

/**
 * GNU's first reading of `args` (it looks for `--config`): getopt's words for each bad option,
 * up to a `--config` or `--no-config`, where it stops. Returns the arguments as that reading
 * leaves them: getopt_long moves the operands after the options it has read (after the `--` too),
 * so that in GNU's second reading an option left without its value at the end takes the first
 * operand (`wget URL -O` is `wget -O URL`: no URL).
 */
const firstReading = (function firstReading(args: readonly string[], stderr: LogSink): string[] {
  const front: string[] = [];
  const operands: string[] = [];
  let pending: string[] = [];
  for (const unit of scan(args)) {
    // Each call of getopt_long first moves the options read since the operands before them.
    front.push(...pending);
    pending = [];
    if (unit.kind === "operand") {
      operands.push(unit.word);
      continue;
    }
    if (unit.kind === "end") return [...front, "--", ...operands, ...unit.rest];
    pending = unit.words;
    for (const token of unit.tokens) {
      if (token.name === "config" || token.name === "no-config" || token.name === "no-no-config") {
        // GNU stops here (the last move not made yet), the rest as it was.
        return [...front, ...operands, ...pending, ...args.slice(unit.start + unit.words.length)];
      }
      if (token.error !== undefined) print(stderr, `wget: ${token.error}`);
    }
  }
  return [...front, ...pending, ...operands];
}).bind(undefined);

/** The outcome of one option: nothing (go on) or the exit code to stop with. */
type Outcome = number | undefined;

/** What an option needs besides the values: where to print, and `-a`'s lasting effect. */
interface ApplyState {
  values: Record<string, unknown>;
  out: WgetCommandLineOutput;
  /** `-a FILE` was given: a later `-o FILE` appends too, as GNU's. */
  append: boolean;
}

/** Writes `text` and a newline to `sink`. */
const print = (function print(sink: LogSink, text: string): void {
  sink.writeSync(new TextEncoder().encode(`${text}\n`));
}).bind(undefined);

/** GNU's cmd_boolean: on, yes, 1 or off, no, 0 (any case); undefined for anything else. */
const parseBoolean = (function parseBoolean(text: string): boolean | undefined {
  if (/^(on|yes|1)$/i.test(text)) return true;
  if (/^(off|no|0)$/i.test(text)) return false;
  return undefined;
}).bind(undefined);

/**
 * An option's boolean as GNU reads it (cmd_boolean): false for a `no-` twin, true without a value,
 * else the value's; for any other value GNU's line on stderr and {@linkcode EXIT_PARSE}.
 */
const booleanValue = (function booleanValue(
  out: ApplyState["out"],
  name: string,
  text: string | undefined,
  twin: boolean,
): boolean | number {
  if (twin) return false;
  if (text === undefined) return true;
  const on = parseBoolean(text);
  if (on !== undefined) return on;
  print(out.stderr, `wget: --${name}: Invalid boolean ${quoteName(text)}; use \`on' or \`off'.`);
  return EXIT_PARSE;
}).bind(undefined);

/** Applies one option; returns an exit code when wget stops here. */
const applyOption =
  (function applyOption(state: ApplyState, token: { name: string; value: string | undefined }) {
    const { values, out } = state;
    // A boolean's twin: the boolean turned off.
    const twin = KIND.get(token.name) === 0 && token.name.startsWith("no-") &&
      KIND.get(token.name.slice(3)) === 2;
    const name = twin ? token.name.slice(3) : token.name;
    const action = ACTIONS[name] ?? "x";
    const given = token.value;
    const on = KIND.get(name) === 2 && action !== "*" && action[0] !== "~"
      ? booleanValue(out, name, given, twin)
      : true;
    if (typeof on === "number") return on;
    const set = (key: string, value: unknown) => void (values[key] = value);
    // A value GNU's command for the option checks when it runs (a number, a time, a size, one of
    // a few words, a header): refused here in its words, exit 2; else in the form netkit takes.
    const command = action.startsWith("e:")
      ? action.slice(2).replace(/_/g, "")
      : "=~+".includes(action[0]!)
      ? commandOfOption(action.slice(1))
      : undefined;
    const checked = command === undefined || given === undefined
      ? undefined
      : checkWgetValue(command, given);
    if (checked?.error !== undefined) {
      print(out.stderr, `wget: --${name}: ${checked.error}`);
      return EXIT_PARSE;
    }
    const value = checked?.value ?? given;
    switch (action[0]) {
      case "=":
        return set(action.slice(1), value);
      case "+":
        if (name === "execute") return execute(state, given!);
        return void ((values[action.slice(1)] ??= []) as string[]).push(value!);
      case "?":
        return set(action.slice(1), on);
      case "!":
        return set(action.slice(1), !on);
      case "~": {
        const optional = twin ? "0" : value ?? "1";
        if (action.startsWith("~e:")) {
          return applyOption(state, { name: "execute", value: `${action.slice(3)}=${optional}` });
        }
        return set(action.slice(1), optional);
      }
      case "e": {
        const setting = KIND.get(name) === 2 ? (on ? "on" : "off") : value;
        return void ((values.execute ??= []) as string[]).push(`${action.slice(2)}=${setting}`);
      }
      case "x":
        if (on === false) return undefined; // Off is what netkit does anyway.
        print(out.stderr, `wget: --${name}: not supported by netkit's wget`);
        return EXIT_PARSE;
    }
    return applySpecial(state, name, given, twin);
  }).bind(undefined);

/**
 * GNU's `-e COMMAND`, run where it stands among the options (a later option overrides it, and it
 * overrides an earlier one): a command that sets an option sets it now; the others (proxies,
 * commands netkit ignores or lacks) wait in `execute` for cmd/_wget/command.ts; a bad one ends wget
 * here, said in GNU's words (exit 2).
 */
const execute = (function execute(state: ApplyState, command: string): Outcome {
  const { values, out } = state;
  const error = executeError(command);
  if (error !== undefined) {
    // GNU's run_command: said, and wget exits where the -e stands.
    print(out.stderr, `wget: ${error}`);
    return EXIT_PARSE;
  }
  const line = splitWgetrcLine(command)!;
  const target: WgetrcTarget = {
    set: (key, value) => void (values[key] = value),
    add: (key, value) => void ((values[key] ??= []) as string[]).push(value),
  };
  if (applyWgetrcSetting(target, line.name, line.value, line.written) !== true) {
    ((values.execute ??= []) as string[]).push(command);
  }
  return undefined;
}).bind(undefined);

/** The options of {@linkcode ACTIONS} marked `*`. */
const applySpecial = (function applySpecial(
  state: ApplyState,
  name: string,
  given: string | undefined,
  twin: boolean,
): Outcome {
  const { values, out } = state;
  const verbose = (on: boolean): Outcome => {
    values.verbose = on;
    values["no-verbose"] = !on;
    return undefined;
  };
  // GNU's one dirstruct switch: -x and -nd, the last given wins.
  const dirstruct = (on: boolean): Outcome => {
    values["force-directories"] = on;
    values["no-directories"] = !on;
    return undefined;
  };
  switch (name) {
    case "help":
      print(out.stdout, usage);
      return 0;
    case "version":
      print(out.stdout, `wget (netkit) ${VERSION}`);
      return 0;
    case "append-output":
      state.append = true;
      delete values["output-file"];
      values["append-output"] = given;
      return undefined;
    case "output-file":
      values[state.append ? "append-output" : "output-file"] = given;
      return undefined;
    case "progress": {
      const type = gnuProgressType(given!);
      if (type === undefined) {
        print(out.stderr, `wget: --progress: Invalid progress type ${quoteName(given!)}.`);
        return EXIT_PARSE;
      }
      values.progress = type;
      return undefined;
    }
    case "check-certificate":
      // GNU's third value, quiet: no check and no warning (netkit still warns).
      if (!twin && given !== undefined && /^quiet$/i.test(given)) {
        values["no-check-certificate"] = true;
        return undefined;
      }
      break;
    case "dont-remove-listing":
      return applyOption(state, { name: "execute", value: "remove_listing=off" });
    case "clobber":
    case "parent": {
      // GNU's own reading: 1, y..., on... is yes; anything else no.
      const flag = given === undefined || /^(1|y|on)/i.test(given);
      values[`no-${name}`] = !flag;
      return undefined;
    }
    case "no":
      // -nv, -nH, -nd, -nc, -np, or several at once (-nvc).
      for (const letter of given ?? "") {
        if (letter === "v") verbose(false);
        else if (letter === "H") values["no-host-directories"] = true;
        else if (letter === "d") dirstruct(false);
        else if (letter === "c") values["no-clobber"] = true;
        else if (letter === "p") values["no-parent"] = true;
        else {
          print(out.stderr, `wget: illegal option -- \`-n${letter}'\n${USAGE_TAIL}`);
          return 1;
        }
      }
      return undefined;
  }
  const on = booleanValue(out, name, given, twin);
  if (typeof on === "number") return on;
  switch (name) {
    case "check-certificate":
      values["no-check-certificate"] = !on;
      return undefined;
    case "proxy__compat": // -Y on|off
      values["no-proxy"] = !on;
      return undefined;
    case "verbose":
      return verbose(on);
    case "directories":
    case "force-directories":
      return dirstruct(on);
    case "mirror":
      // GNU's -m sets what it stands for, where it stands: -r -N -l inf.
      if (on) Object.assign(values, { recursive: true, timestamping: true, level: "inf" });
      return undefined;
  }
  return undefined;
}).bind(undefined);

/**
 * stdout as every netkit command writes it (a failed write ends the command as lib/cli/run_main.ts
 * says: exit 3, or 0 when the reader has gone), stderr as wget's log (a failed write is dropped).
 */
const standardOutput = (function standardOutput(): WgetCommandLineOutput {
  const stdout: LogSink = {
    writeSync(p: Uint8Array): number {
      for (let at = 0; at < p.length;) at += Deno.stdout.writeSync(p.subarray(at));
      return p.length;
    },
  };
  return { stdout, stderr: forgivingLog(Deno.stderr, () => {}) };
}).bind(undefined);

/**
 * Reads wget's arguments as GNU Wget 1.21.3 does (see the module's doc).
 *
 * @param args The arguments after `wget`.
 * @param out Where to print (tests catch it). @default {stdout and stderr, failures dropped}
 * @returns The values and operands, or the exit code to return at once: 0 after `--help` or
 * `--version`, 2 after a usage error, 1 after a bad `-n` letter (each reported).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWgetCommandLine } from "./command_line.ts";
 *
 * const parsed = parseWgetCommandLine(["--no-check-cert", "-qnc", "-O", "-x", "http://h/"]);
 * assert.ok(typeof parsed !== "number");
 * assert.deepEqual(parsed.values, {
 *   "no-check-certificate": true,
 *   quiet: true,
 *   "no-clobber": true,
 *   "output-document": "-x",
 * });
 * assert.deepEqual(parsed.positionals, ["http://h/"]);
 *
 * let printed = "";
 * const sink = { writeSync: (p: Uint8Array) => (printed += new TextDecoder().decode(p), p.length) };
 * assert.equal(parseWgetCommandLine(["--bogus"], { stdout: sink, stderr: sink }), 2);
 * assert.equal(
 *   printed,
 *   "wget: unrecognized option '--bogus'\nUsage: wget [OPTION]... [URL]...\n\n" +
 *     "Try `wget --help' for more options.\n",
 * );
 * ```
 */
export function parseWgetCommandLine(
  args: readonly string[],
  out: WgetCommandLineOutput = standardOutput(),
): WgetCommandLine | number {
  return parsed(args, out);
}

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** {@linkcode parseWgetCommandLine}'s body. */
const parsed = (function parsed(
  args: readonly string[],
  out: WgetCommandLineOutput,
): WgetCommandLine | number {
  const argv = firstReading(args, out.stderr);
  // GNU reads the .wgetrc files its first reading chose: the first --config FILE or --no-config
  // (either twin) there wins over the ones after it.
  const chosen = scan(args).flatMap((unit) => unit.kind === "option" ? unit.tokens : [])
    .find((token) => /^(no-){0,2}config$/.test(token.name ?? ""));
  const choice = chosen?.name === "config"
    ? { config: chosen.value }
    : { "no-config": chosen !== undefined };
  // Then the .wgetrc files, before any option runs: a bad line ends wget here.
  const wgetrcs = (out.readWgetrcs ?? readWgetrcFiles)(choice, (line) => print(out.stderr, line));
  if (typeof wgetrcs === "number") return wgetrcs;
  // The second reading: each option in order; the first bad one ends wget with GNU's short usage.
  const state: ApplyState = { values: {}, out, append: false };
  const positionals: string[] = [];
  for (const unit of scan(argv)) {
    if (unit.kind === "operand") positionals.push(unit.word);
    else if (unit.kind === "end") positionals.push(...unit.rest);
    else {
      for (const token of unit.tokens) {
        if (token.error !== undefined) {
          print(out.stderr, USAGE_TAIL);
          return EXIT_PARSE;
        }
        const code = applyOption(state, token);
        if (code !== undefined) return code;
      }
    }
  }
  if (chosen?.name === "config") {
    state.values.config = chosen.value;
    delete state.values["no-config"];
  } else if (chosen !== undefined) {
    state.values["no-config"] = true;
    delete state.values.config;
  }
  // Where the options end in `args` as given (for -b's second run).
  const end = scan(args).find((unit) => unit.kind === "end");
  const optionsEnd = end?.kind === "end" ? end.start : args.length;
  return { values: state.values, positionals, optionsEnd, wgetrcs };
}).bind(undefined);
