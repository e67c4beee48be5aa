/**
 * GNU wget's `.wgetrc` commands that set an option (`tries = 3`, `accept = *.txt`, `robots = off`),
 * as `-e COMMAND` and the `.wgetrc` files give them, applied to the option values the command line
 * sets (cmd/_wget/command.ts's `WgetValues`) the way GNU Wget 1.21.3's init.c applies them: a
 * value replaces the one before it, a list (`accept`, `reject`, `header`, ...) grows and an empty
 * value clears it, `mirror = on` is `-m`, `dirstruct` is `-x` or `-nd`, `verbose` is `-v` or `-nv`.
 *
 * Shared by the command-line reader (GNU runs each `-e` where it stands among the options) and by
 * the `.wgetrc` reader (GNU runs those lines before the command line). The commands that set no
 * option (proxies, the ones netkit ignores or lacks) are cmd/_wget/command.ts's.
 *
 * @module
 */

import { UsageError } from "../../lib/cli/command_line.ts";
import { quoteName } from "./quote_name.ts";
import { gnuProgressType } from "./spec.ts";

/**
 * Where {@linkcode applyWgetrcSetting} puts what a command sets: keys are `WgetValues`' names
 * (cmd/_wget/command.ts's, not imported here: that module imports this one).
 */
export interface WgetrcTarget {
  /** Sets the option `key` to `value`. */
  set(key: string, value: unknown): void;
  /** Adds `value` to the list option `key`; an empty value clears the entries before it. */
  add(key: string, value: string): void;
}

/** `-e` / `.wgetrc` commands that take a value, and the option each sets. */
const EXECUTE_STRINGS: Record<string, string> = {
  rejectedlog: "rejected-log",
  backups: "backups",
  outputdocument: "output-document",
  dirprefix: "directory-prefix",
  timeout: "timeout",
  tries: "tries",
  waitretry: "waitretry",
  maxredirect: "max-redirect",
  useragent: "user-agent",
  cacertificate: "ca-certificate",
  user: "user",
  password: "password",
  httpuser: "http-user",
  httppassword: "http-password",
  proxyuser: "proxy-user",
  proxypassword: "proxy-password",
  postdata: "post-data",
  postfile: "post-file",
  method: "method",
  bodydata: "body-data",
  bodyfile: "body-file",
  referer: "referer",
  retryonhttperror: "retry-on-http-error",
  dnstimeout: "dns-timeout",
  connecttimeout: "connect-timeout",
  readtimeout: "read-timeout",
  wait: "wait",
  quota: "quota",
  startpos: "start-pos",
  limitrate: "limit-rate",
  certificate: "certificate",
  certificatetype: "certificate-type",
  privatekey: "private-key",
  privatekeytype: "private-key-type",
  cadirectory: "ca-directory",
  compression: "compression",
  preferfamily: "prefer-family",
  reclevel: "level",
  cutdirs: "cut-dirs",
  restrictfilenames: "restrict-file-names",
  acceptregex: "accept-regex",
  rejectregex: "reject-regex",
  regextype: "regex-type",
  base: "base",
  loadcookies: "load-cookies",
  savecookies: "save-cookies",
  hstsfile: "hsts-file",
  maxthreads: "max-threads",
  // GNU's other names for the same settings.
  defaultpage: "default-page",
  logfile: "output-file",
  progress: "progress",
  input: "input-file",
  numtries: "tries",
  httppasswd: "http-password",
  proxypasswd: "proxy-password",
};

/** `-e` / `.wgetrc` commands that take a comma-separated list. */
const EXECUTE_LISTS: Record<string, string> = {
  accept: "accept",
  reject: "reject",
  domains: "domains",
  excludedomains: "exclude-domains",
  includedirectories: "include-directories",
  excludedirectories: "exclude-directories",
  followtags: "follow-tags",
  ignoretags: "ignore-tags",
};

/** `-e` / `.wgetrc` commands that switch something on or off: the option, and whether "on" sets it. */
const EXECUTE_SWITCHES: Record<string, [string, boolean]> = {
  quiet: ["quiet", true],
  glob: ["no-glob", false],
  serverresponse: ["server-response", true],
  continue: ["continue", true],
  noclobber: ["no-clobber", true],
  unlink: ["unlink", true],
  contentdisposition: ["content-disposition", true],
  trustservernames: ["trust-server-names", true],
  spider: ["spider", true],
  checkcertificate: ["no-check-certificate", false],
  timestamping: ["timestamping", true],
  useservertimestamps: ["no-use-server-timestamps", false],
  ifmodifiedsince: ["no-if-modified-since", false],
  httpsonly: ["https-only", true],
  relativeonly: ["relative", true],
  convertfileonly: ["convert-file-only", true],
  authnochallenge: ["auth-no-challenge", true],
  useproxy: ["no-proxy", false],
  recursive: ["recursive", true],
  pagerequisites: ["page-requisites", true],
  noparent: ["no-parent", true],
  spanhosts: ["span-hosts", true],
  convertlinks: ["convert-links", true],
  backupconverted: ["backup-converted", true],
  adjustextension: ["adjust-extension", true],
  htmlextension: ["adjust-extension", true],
  deleteafter: ["delete-after", true],
  protocoldirectories: ["protocol-directories", true],
  ignorecase: ["ignore-case", true],
  randomwait: ["random-wait", true],
  ignorelength: ["ignore-length", true],
  inet4only: ["inet4-only", true],
  inet6only: ["inet6-only", true],
  retryconnrefused: ["retry-connrefused", true],
  contentonerror: ["content-on-error", true],
  saveheaders: ["save-headers", true],
  cookies: ["no-cookies", false],
  hsts: ["no-hsts", false],
  keepsessioncookies: ["keep-session-cookies", true],
  addhostdir: ["no-host-directories", false],
  robots: ["robots", true],
  askpassword: ["ask-password", true],
  showprogress: ["show-progress", true],
  alwaysrest: ["continue", true],
  netrc: ["netrc", true],
  forcehtml: ["force-html", true],
  cache: ["cache", true],
};

/**
 * The commands whose value is a file or a directory (GNU's cmd_file and cmd_directory): a `.wgetrc`
 * line's leading `~/` is the home directory in these.
 */
const FILE_COMMANDS = new Set([
  "cacertificate",
  "cadirectory",
  "certificate",
  "chooseconfig",
  "dirprefix",
  "egdfile",
  "hstsfile",
  "input",
  "inputmetalink",
  "loadcookies",
  "logfile",
  "outputdocument",
  "postfile",
  "privatekey",
  "randomfile",
  "rejectedlog",
  "savecookies",
  "warccdxdedup",
  "warcfile",
  "warctempdir",
]);

/**
 * GNU wget's `.wgetrc` commands that change nothing for netkit's HTTP downloads (FTP, WARC,
 * Metalink, the log's look, caches, encodings GNU converts to): taken and ignored, so that a
 * `.wgetrc` written for GNU wget (Debian's sets `passive_ftp = on`) works unchanged.
 */
const EXECUTE_IGNORED = new Set(
  `
  passiveftp ftpproxy ftpuser ftppasswd ftppassword login passwd followftp
  retrsymlinks removelisting ftpsimplicit ftpsresumessl ftpsfallbacktoftp
  ftpscleardataconnection preservepermissions dnscache iri localencoding remoteencoding
  debug httpkeepalive reportspeed dotbytes dotsinline dotspacing dotstyle xattr
  strictcomments noconfig chooseconfig randomfile egdfile showalldnsentries
  keepbadhash warccdx
  warccdxdedup warccompression warcdigests warcheader warckeeplog warcmaxsize warctempdir
`.trim().split(/\s+/),
);

/**
 * GNU wget's `.wgetrc` commands that netkit does not implement but that would change a download:
 * taken with a warning (unless quiet), so that the rest of the file still applies.
 */
const EXECUTE_UNSUPPORTED = new Set(
  `
  background bindaddress ciphers crlfile
  htmlify pinnedpubkey
  retryonhosterror secureprotocol warcfile
`.trim().split(/\s+/),
);

/** Proxy settings that `-e` may set. */
const EXECUTE_PROXY = new Set(["httpproxy", "httpsproxy", "noproxy"]);

/** The commands that take a time period (GNU's cmd_time). */
const TIME_COMMANDS = new Set([
  "wait",
  "waitretry",
  "timeout",
  "dnstimeout",
  "connecttimeout",
  "readtimeout",
]);

/** The commands that take a size (GNU's cmd_bytes, cmd_bytes_sum). */
const BYTES_COMMANDS = new Set(["quota", "limitrate", "startpos", "warcmaxsize", "dotbytes"]);

/** The commands that take a whole number (GNU's cmd_number). */
const NUMBER_COMMANDS = new Set(["backups", "cutdirs", "maxredirect", "dotsinline", "dotspacing"]);

/** The commands that take a whole number or `inf`, which is 0 (GNU's cmd_number_inf). */
const NUMBER_INF_COMMANDS = new Set(["tries", "numtries", "reclevel"]);

/**
 * C's INT_MAX, the largest whole number a GNU wget setting takes (its cmd_number refuses more).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { INT_MAX } from "./wgetrc_command.ts";
 *
 * assert.equal(INT_MAX, 2147483647);
 * ```
 */
export const INT_MAX = 2 ** 31 - 1;

/**
 * A whole-number setting's value as GNU Wget 1.21.3's cmd_number reads it (C's `strtol`, base
 * 10, nothing after the digits checked): blanks, a sign, then the digits up to the first other
 * character, none being 0 (`x` and `` are 0, `2x` is 2, `0x10` is 0); with `inf`
 * (cmd_number_inf: `-t`, `-l`), `inf` in any case is 0 too. Returns the number as plain decimal
 * text, or undefined for a negative one or one beyond INT_MAX (GNU's `Invalid number`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuNumberText } from "./wgetrc_command.ts";
 *
 * assert.equal(gnuNumberText(" +3", false), "3");
 * assert.equal(gnuNumberText("2x", false), "2");
 * assert.equal(gnuNumberText("x", false), "0");
 * assert.equal(gnuNumberText("INF", true), "0");
 * assert.equal(gnuNumberText("inf", false), "0");
 * assert.equal(gnuNumberText("-0", false), "0");
 * assert.equal(gnuNumberText("-1", false), undefined);
 * assert.equal(gnuNumberText("2147483648", true), undefined);
 * ```
 */
export const gnuNumberText = (function gnuNumberText(
  value: string,
  inf: boolean,
): string | undefined {
  if (inf && value.toLowerCase() === "inf") return "0";
  const match = /^[ \t\n\v\f\r]*([-+]?)0*(\d*)/.exec(value)!;
  const digits = match[2]!;
  // More digits than INT_MAX has: beyond it (strtol's ERANGE past LONG_MAX included).
  if (digits.length > 10) return undefined;
  const number = Number(digits);
  if (number > INT_MAX || (match[1] === "-" && number !== 0)) return undefined;
  return String(number);
}).bind(undefined);

/** GNU's simple_atof: a sign, digits with one dot at most, at least one digit. */
const SIMPLE_NUMBER = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)$/;

/**
 * GNU's cmd_time's complaint about `value` (`Invalid time period`, `Negative time period`), or
 * undefined when it takes it: a number as GNU's simple_atof reads it (blanks, a sign, digits with
 * one dot at most), then one of `s`, `m`, `h`, `d`, `w`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuTimeError } from "./wgetrc_command.ts";
 *
 * assert.equal(gnuTimeError(" +1.5m "), undefined);
 * assert.equal(gnuTimeError("-0"), undefined);
 * assert.equal(gnuTimeError("-1"), "Negative time period");
 * assert.equal(gnuTimeError("1e3"), "Invalid time period");
 * ```
 */
export const gnuTimeError = (function gnuTimeError(value: string): string | undefined {
  const number = value.trimEnd().replace(/[smhdw]$/i, "").trim();
  if (!SIMPLE_NUMBER.test(number)) return "Invalid time period";
  return number.startsWith("-") && Number(number) !== 0 ? "Negative time period" : undefined;
}).bind(undefined);

/** The size suffixes GNU's parse_bytes_helper takes, as multipliers. */
const BYTE_SUFFIXES: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * A size or rate as GNU's cmd_bytes reads it (its parse_bytes_helper): `inf` (exactly) is 0, no
 * limit; else a number as simple_atof reads it, not negative, then `k`, `m`, `g` or `t` (powers
 * of 1,024), in bytes, its fraction dropped as GNU's cast to an integer drops it (`0.5` is 0);
 * undefined for anything else (GNU's `Invalid byte value`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuBytes } from "./wgetrc_command.ts";
 *
 * assert.equal(gnuBytes("1.5k"), 1536);
 * assert.equal(gnuBytes(" 2M "), 2097152);
 * assert.equal(gnuBytes("inf"), 0);
 * assert.equal(gnuBytes("0.0001"), 0);
 * assert.equal(gnuBytes("-1"), undefined);
 * assert.equal(gnuBytes("INF"), undefined);
 * ```
 */
export const gnuBytes = (function gnuBytes(value: string): number | undefined {
  if (value === "inf") return 0;
  const trimmed = value.trimEnd();
  const scale = BYTE_SUFFIXES[trimmed.slice(-1).toLowerCase()];
  const number = (scale === undefined ? trimmed : trimmed.slice(0, -1)).trim();
  if (!SIMPLE_NUMBER.test(number) || (number.startsWith("-") && Number(number) !== 0)) {
    return undefined;
  }
  return Math.trunc(Math.abs(Number(number)) * (scale ?? 1));
}).bind(undefined);

/**
 * A size or rate option's value in bytes ({@linkcode gnuBytes}: 0 is no limit).
 *
 * @throws {UsageError} in GNU's words: `--quota: Invalid byte value 'abc'`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseWgetBytes } from "./wgetrc_command.ts";
 *
 * assert.equal(parseWgetBytes("500k", "--limit-rate"), 512000);
 * assert.throws(() => parseWgetBytes("abc", "--quota"), /--quota: Invalid byte value/);
 * ```
 */
export const parseWgetBytes = (function parseWgetBytes(text: string, option: string): number {
  const bytes = gnuBytes(text);
  if (bytes === undefined) throw new UsageError(`${option}: Invalid byte value ${quoteName(text)}`);
  return bytes;
}).bind(undefined);

/** GNU's cmd_bytes's complaint about `value` ({@linkcode gnuBytes}), or undefined. */
const gnuBytesError = (function gnuBytesError(value: string): string | undefined {
  return gnuBytes(value) === undefined ? "Invalid byte value" : undefined;
}).bind(undefined);

/**
 * GNU's words for the settings that take one of a few words (its decode_string, in any case),
 * by command, and the form each word takes among netkit's options.
 */
const CHOICES: Record<string, Record<string, string>> = {
  preferfamily: { ipv4: "IPv4", ipv6: "IPv6", none: "none" },
  compression: { auto: "auto", gzip: "gzip", none: "none" },
  regextype: { posix: "posix", pcre: "pcre" },
  certificatetype: { pem: "PEM", der: "DER", asn1: "DER" },
  privatekeytype: { pem: "PEM", der: "DER", asn1: "DER" },
  reportspeed: { bits: "" },
  // Taken with a warning (netkit lacks it): checked, and kept as written.
  secureprotocol: Object.fromEntries(
    "auto sslv2 sslv3 tlsv1 tlsv1_1 tlsv1_2 tlsv1_3 pfs".split(" ").map((word) => [word, ""]),
  ),
};

/**
 * The on/off commands netkit takes and ignores or lacks, whose value GNU's cmd_boolean checks all
 * the same (`-e passive_ftp=maybe` is refused).
 */
const CHECKED_SWITCHES = new Set(
  `
  passiveftp followftp retrsymlinks removelisting ftpsimplicit ftpsresumessl ftpsfallbacktoftp
  ftpscleardataconnection preservepermissions dnscache iri debug httpkeepalive xattr
  strictcomments noconfig showalldnsentries keepbadhash warccdx warccompression warcdigests
  warckeeplog background retryonhosterror htmlify
`.trim().split(/\s+/),
);

/** GNU's restrictions (`--restrict-file-names`), each a word of its own, any number of them. */
const RESTRICTIONS = new Set([
  "unix",
  "vms",
  "windows",
  "lowercase",
  "uppercase",
  "nocontrol",
  "ascii",
]);

/** GNU's check_user_specified_header: a name without blanks, a colon, no newline. */
const GNU_HEADER = /^[^:\s]+:[^\n]*$/;

/**
 * A setting's value checked as GNU Wget 1.21.3's command for it checks it when it runs (whole
 * numbers, time periods, sizes, the settings of a few words, a header, the user agent), whether
 * it came from a `.wgetrc` line, `-e` or the command line: `{ value }`, the value in the form
 * netkit's options take it (a number as GNU read it, a word as netkit spells it), or `{ error }`,
 * GNU's words after `wget: NAME: `. Other commands' values are taken as they are.
 *
 * @param command The command, as {@linkcode splitWgetrcLine} gives it (`reclevel`, `dnstimeout`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkWgetValue } from "./wgetrc_command.ts";
 *
 * assert.deepEqual(checkWgetValue("tries", "inf"), { value: "0" });
 * assert.deepEqual(checkWgetValue("certificatetype", "asn1"), { value: "DER" });
 * assert.deepEqual(checkWgetValue("compression", "GZIP"), { value: "gzip" });
 * assert.match(checkWgetValue("preferfamily", "x")!.error!, /^Invalid value .x.\.$/);
 * assert.match(checkWgetValue("wait", "-1")!.error!, /^Negative time period .-1.$/);
 * assert.match(checkWgetValue("header", "x")!.error!, /^Invalid header .x.\.$/);
 * assert.deepEqual(checkWgetValue("useragent", "Mozilla"), { value: "Mozilla" });
 * ```
 */
export const checkWgetValue = (function checkWgetValue(
  command: string,
  value: string,
): { value: string; error?: undefined } | { value?: undefined; error: string } {
  const inf = NUMBER_INF_COMMANDS.has(command);
  if (inf || NUMBER_COMMANDS.has(command)) {
    // GNU's cmd_number: the number as strtol reads it (`-e tries=inf` is 0: no limit).
    const number = gnuNumberText(value, inf);
    return number === undefined
      ? { error: `Invalid number ${quoteName(value)}.` }
      : { value: number };
  }
  // GNU's cmd_time and cmd_bytes (no full stop after the value in their words).
  const problem = TIME_COMMANDS.has(command)
    ? gnuTimeError(value)
    : BYTES_COMMANDS.has(command)
    ? gnuBytesError(value)
    : undefined;
  if (problem !== undefined) return { error: `${problem} ${quoteName(value)}` };
  const choices = CHOICES[command];
  if (choices !== undefined) {
    const word = choices[value.toLowerCase()];
    if (word === undefined) return { error: `Invalid value ${quoteName(value)}.` };
    return { value: word || value };
  }
  // An empty header clears the ones before it (GNU's cmd_spec_header, cmd_spec_warc_header).
  if ((command === "header" || command === "warcheader") && value !== "") {
    if (!GNU_HEADER.test(value)) {
      const what = command === "header" ? "header" : "WARC header";
      return { error: `Invalid ${what} ${quoteName(value)}.` };
    }
  }
  if (CHECKED_SWITCHES.has(command) && switchValue(value) === undefined) {
    return { error: `Invalid boolean ${quoteName(value)}; use \`on' or \`off'.` };
  }
  if (command === "checkcertificate") {
    // GNU's cmd_check_cert: on, off, or quiet (no check, no warning; netkit still warns).
    if (/^quiet$/i.test(value)) return { value: "off" };
    if (switchValue(value) === undefined) {
      return { error: `Invalid ${quoteName(value)}; use \`on', \`off' or \`quiet'.` };
    }
  }
  if (command === "restrictfilenames") {
    // GNU's cmd_spec_restrict_file_names: names the rest of the value from the first bad word.
    const words = value.split(",");
    const bad = words.findIndex((word, i) =>
      !RESTRICTIONS.has(word) && !(word === "" && i === words.length - 1 && i > 0)
    );
    if (bad >= 0) {
      return {
        error: `Invalid restriction ${quoteName(words.slice(bad).join(","))},\n` +
          "    use [unix|vms|windows],[lowercase|uppercase],[nocontrol],[ascii].",
      };
    }
    // A comma at the end ends the list (`unix,`).
    return { value: words.filter((word) => word !== "").join(",") };
  }
  if (command === "useragent" && value.includes("\n")) {
    return { error: `Invalid value ${quoteName(value)}.` };
  }
  return { value };
}).bind(undefined);

/**
 * The value of netkit's option `option` checked by {@linkcode checkWgetValue}, in the form netkit
 * takes it: for values that did not come through the command-line reader (which checks them where
 * they stand), as `runWget`'s own callers give them.
 *
 * @throws {UsageError} in GNU's words: `--compression: Invalid value 'x'.`
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkedOptionValue } from "./wgetrc_command.ts";
 *
 * assert.equal(checkedOptionValue("compression", "GZIP"), "gzip");
 * assert.throws(() => checkedOptionValue("regex-type", "x"), /--regex-type: Invalid value/);
 * ```
 */
export const checkedOptionValue = (function checkedOptionValue(
  option: string,
  value: string,
): string {
  const checked = checkWgetValue(commandOfOption(option) ?? option, value);
  if (checked.error !== undefined) throw new UsageError(`--${option}: ${checked.error}`);
  return checked.value;
}).bind(undefined);

/**
 * The `.wgetrc` command that sets netkit's option `key` (`level` is GNU's `reclevel`), for
 * {@linkcode checkWgetValue}; undefined for an option no command sets alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { commandOfOption } from "./wgetrc_command.ts";
 *
 * assert.equal(commandOfOption("level"), "reclevel");
 * assert.equal(commandOfOption("dns-timeout"), "dnstimeout");
 * assert.equal(commandOfOption("header"), "header");
 * ```
 */
export const commandOfOption = (function commandOfOption(key: string): string | undefined {
  if (key === "header") return key;
  return Object.keys(EXECUTE_STRINGS).find((command) => EXECUTE_STRINGS[command] === key);
}).bind(undefined);

/** The switches that set more than one option: {@linkcode applyWgetrcSetting} knows each. */
const SPECIAL_SWITCHES = new Set(["verbose", "dirstruct", "mirror"]);

// Start-up: `const f = (function f() {...}).bind(undefined)` compiles f with the module, into
// Deno's code cache (README.md, "Functions compiled with their module").

/** GNU's cmd_boolean words (and netkit's true/false): on, off, or undefined for anything else. */
const switchValue = (function switchValue(value: string): boolean | undefined {
  if (/^(on|yes|1|true)$/i.test(value)) return true;
  if (/^(off|no|0|false)$/i.test(value)) return false;
  return undefined;
}).bind(undefined);

/**
 * A list option's entries as GNU wget's cmd_vector leaves them: comma-separated lists, as `-A`,
 * `-R`, `-D`, `--follow-tags` take them, repeatable, an empty one clearing the ones before it
 * (`-A ''`, `-e accept=`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listEntries } from "./wgetrc_command.ts";
 *
 * assert.deepEqual(listEntries(["a,b", "c"]), ["a", "b", "c"]);
 * assert.deepEqual(listEntries(["a", "", "img,"]), ["img"]);
 * assert.deepEqual(listEntries(["a", ""]), []);
 * assert.deepEqual(listEntries(undefined), []);
 * ```
 */
export const listEntries = (function listEntries(values: readonly string[] | undefined): string[] {
  const given = values ?? [];
  return given.slice(given.lastIndexOf("") + 1).flatMap((v) => v.split(",")).filter((v) =>
    v !== ""
  );
}).bind(undefined);

/**
 * A `.wgetrc` line (or an `-e` command) as GNU wget's parse_line reads it: the command's name,
 * letters, digits, `_` and `-` (compared without regard to case, `_` or `-`), then `=` (blanks
 * around it) and the value, trimmed; `written` is the name as the line writes it, for messages.
 * Undefined for a line GNU calls a syntax error (no `=` after the name).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitWgetrcLine } from "./wgetrc_command.ts";
 *
 * assert.deepEqual(splitWgetrcLine(" Wait_Retry = 0 "), {
 *   name: "waitretry",
 *   value: "0",
 *   written: "Wait_Retry",
 * });
 * assert.equal(splitWgetrcLine("noequals"), undefined);
 * assert.equal(splitWgetrcLine("two words = x"), undefined);
 * ```
 */
export const splitWgetrcLine = (function splitWgetrcLine(
  line: string,
): { name: string; value: string; written: string } | undefined {
  const match = /^\s*([A-Za-z0-9_-]*)\s*=\s*([^]*?)\s*$/.exec(line);
  if (!match) return undefined;
  const written = match[1]!;
  return { name: written.toLowerCase().replace(/[-_]/g, ""), value: match[2]!, written };
}).bind(undefined);

/**
 * What GNU wget makes of the `.wgetrc` command `name`: `"option"` for one that sets an option
 * here ({@linkcode applyWgetrcSetting}), `"proxy"` for a proxy setting, `"ignored"` for one with
 * nothing to do over HTTP, `"unsupported"` for one netkit lacks (taken with a warning); undefined
 * for a command GNU does not know.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wgetrcCommandKind } from "./wgetrc_command.ts";
 *
 * assert.equal(wgetrcCommandKind("tries"), "option");
 * assert.equal(wgetrcCommandKind("httpproxy"), "proxy");
 * assert.equal(wgetrcCommandKind("passiveftp"), "ignored");
 * assert.equal(wgetrcCommandKind("bogus"), undefined);
 * ```
 */
export const wgetrcCommandKind = (function wgetrcCommandKind(
  name: string,
): "option" | "proxy" | "ignored" | "unsupported" | undefined {
  if (
    name in EXECUTE_STRINGS || name in EXECUTE_LISTS || name in EXECUTE_SWITCHES ||
    SPECIAL_SWITCHES.has(name) || name === "header"
  ) {
    return "option";
  }
  if (EXECUTE_PROXY.has(name)) return "proxy";
  if (EXECUTE_IGNORED.has(name)) return "ignored";
  if (EXECUTE_UNSUPPORTED.has(name)) return "unsupported";
  return undefined;
}).bind(undefined);

/**
 * GNU wget's lines (after `wget: `) for a bad `-e COMMAND`, as its run_command prints them before
 * it exits (2): a bad value in the setting's own words, else `Invalid --execute command`;
 * undefined for a command GNU takes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { executeError } from "./wgetrc_command.ts";
 *
 * assert.equal(executeError("tries=3"), undefined);
 * assert.match(executeError("Ro_bots=maybe")!, /^Ro_bots: Invalid boolean .maybe.; use `on' or `off'\.$/);
 * assert.match(executeError("bogus=1")!, /^Invalid --execute command .bogus=1.$/);
 * assert.match(executeError("")!, /^Invalid --execute command ..$/);
 * ```
 */
export const executeError = (function executeError(command: string): string | undefined {
  const line = command.trim() === "" || command.trim().startsWith("#")
    ? undefined
    : splitWgetrcLine(command);
  if (line === undefined || wgetrcCommandKind(line.name) === undefined) {
    return `Invalid --execute command ${quoteName(command)}`;
  }
  return valueError(line);
}).bind(undefined);

/**
 * GNU wget's lines for a `.wgetrc` file's line, as its run_wgetrc prints them (each after
 * `wget: `): none for a good line, an empty one or a comment; a bad value in the setting's own
 * words then `Error in FILE at line N.`; `Syntax error in FILE at line N.`;
 * `Unknown command 'NAME' in FILE at line N.`.
 *
 * @param where `FILE at line N`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wgetrcLineErrors } from "./wgetrc_command.ts";
 *
 * assert.deepEqual(wgetrcLineErrors(" # tries = x", "rc at line 1"), []);
 * assert.deepEqual(wgetrcLineErrors("tries = 3", "rc at line 1"), []);
 * assert.deepEqual(wgetrcLineErrors("no equals", "rc at line 2"), ["Syntax error in rc at line 2."]);
 * assert.equal(wgetrcLineErrors("robots = maybe", "rc at line 3")[1], "Error in rc at line 3.");
 * assert.match(wgetrcLineErrors("bo-gus = 1", "rc at line 4")[0]!, /^Unknown command .bo-gus. in rc/);
 * ```
 */
export const wgetrcLineErrors = (function wgetrcLineErrors(text: string, where: string): string[] {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return [];
  const line = splitWgetrcLine(trimmed);
  if (line === undefined) return [`Syntax error in ${where}.`];
  if (wgetrcCommandKind(line.name) === undefined) {
    return [`Unknown command ${quoteName(line.written)} in ${where}.`];
  }
  const error = valueError(line);
  return error === undefined ? [] : [error, `Error in ${where}.`];
}).bind(undefined);

/** The error {@linkcode applyWgetrcSetting} finds in `line`'s value, tried on a throwaway target. */
const valueError = (function valueError(
  line: { name: string; value: string; written: string },
): string | undefined {
  const nowhere: WgetrcTarget = { set: () => {}, add: () => {} };
  const applied = applyWgetrcSetting(nowhere, line.name, line.value, line.written);
  return typeof applied === "string" ? applied : undefined;
}).bind(undefined);

/**
 * A `.wgetrc` line's value with GNU's tilde expansion (its setval_internal_tilde, for `.wgetrc`
 * lines only, not `-e`): for a file or directory command (`output_document`, `dir_prefix`,
 * `hsts_file`, `load_cookies`, ...), a value that starts with `~/` (any number of slashes) is
 * `home` (its trailing slashes dropped), `/` and the rest; other values, other commands, and any
 * value when there is no home, as they are.
 *
 * @param name The command, as {@linkcode splitWgetrcLine} gives it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expandWgetrcTilde } from "./wgetrc_command.ts";
 *
 * assert.equal(expandWgetrcTilde("outputdocument", "~//x.txt", "/home/u/"), "/home/u/x.txt");
 * assert.equal(expandWgetrcTilde("dirprefix", "~/d", ""), "/d");
 * assert.equal(expandWgetrcTilde("dirprefix", "~d", "/home/u"), "~d");
 * assert.equal(expandWgetrcTilde("useragent", "~/x", "/home/u"), "~/x");
 * assert.equal(expandWgetrcTilde("input", "~/x", undefined), "~/x");
 * ```
 */
export const expandWgetrcTilde = (function expandWgetrcTilde(
  name: string,
  value: string,
  home: string | undefined,
): string {
  if (home === undefined || !FILE_COMMANDS.has(name) || !value.startsWith("~/")) return value;
  return `${home.replace(/\/+$/, "")}/${value.replace(/^~\/+/, "")}`;
}).bind(undefined);

/**
 * Applies the `.wgetrc` command `name = value` (`name` as {@linkcode splitWgetrcLine} gives it)
 * to `target` when it is one that sets an option.
 *
 * @param written The command's name as written, for an error (GNU's words name it so).
 * @returns true when applied; false when `name` sets no option here (a proxy, an ignored or unknown
 * command); GNU's line for the error (after `wget: `) when the value is not one the command takes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyWgetrcSetting } from "./wgetrc_command.ts";
 *
 * const values: Record<string, unknown> = { accept: ["*.txt"] };
 * const target = {
 *   set: (key: string, value: unknown) => void (values[key] = value),
 *   add: (key: string, value: string) => void ((values[key] ??= []) as string[]).push(value),
 * };
 * assert.equal(applyWgetrcSetting(target, "tries", "3"), true);
 * assert.equal(applyWgetrcSetting(target, "accept", "*.log"), true);
 * assert.equal(applyWgetrcSetting(target, "mirror", "on"), true);
 * assert.equal(applyWgetrcSetting(target, "httpproxy", "h:1"), false);
 * assert.match(applyWgetrcSetting(target, "robots", "maybe") as string, /^robots: Invalid boolean/);
 * assert.deepEqual(values, {
 *   accept: ["*.txt", "*.log"],
 *   tries: "3",
 *   recursive: true,
 *   timestamping: true,
 *   level: "inf",
 * });
 * ```
 */
export const applyWgetrcSetting = (function applyWgetrcSetting(
  target: WgetrcTarget,
  name: string,
  value: string,
  written: string = name,
): boolean | string {
  // GNU's commands check their values when they run, ignored commands' too.
  const checked = checkWgetValue(name, value);
  if (checked.error !== undefined) return `${written}: ${checked.error}`;
  value = checked.value;
  const stringOption = EXECUTE_STRINGS[name];
  if (stringOption !== undefined) {
    if (name !== "progress") return target.set(stringOption, value), true;
    // GNU's check: a prefix of dot or bar, else "wget: progress: Invalid progress type".
    const type = gnuProgressType(value);
    if (type === undefined) return `${written}: Invalid progress type ${quoteName(value)}.`;
    return target.set(stringOption, type), true;
  }
  const listOption = EXECUTE_LISTS[name] ?? (name === "header" ? "header" : undefined);
  if (listOption !== undefined) return target.add(listOption, value), true;
  const switchOption = EXECUTE_SWITCHES[name];
  if (switchOption === undefined && !SPECIAL_SWITCHES.has(name)) return false;
  const on = switchValue(value);
  if (on === undefined) {
    // GNU's cmd_boolean's words.
    return `${written}: Invalid boolean ${quoteName(value)}; use \`on' or \`off'.`;
  }
  if (switchOption !== undefined) {
    target.set(switchOption[0], on === switchOption[1]);
  } else if (name === "verbose") {
    // GNU's one verbose setting: -v, -nv and verbose = on|off.
    target.set("verbose", on);
    target.set("no-verbose", !on);
  } else if (name === "dirstruct") {
    // GNU's cmd_spec_dirstruct: on is -x, off is -nd.
    target.set("force-directories", on);
    target.set("no-directories", !on);
  } else if (on) {
    // mirror = on is -m (GNU's cmd_spec_mirror); off changes nothing.
    target.set("recursive", true);
    target.set("timestamping", true);
    target.set("level", "inf");
  }
  return true;
}).bind(undefined);
