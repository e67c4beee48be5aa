/**
 * The body of `wget` after its arguments are parsed: GNU wget's options mapped onto
 * `DownloadOptions`, `-i` URL lists, `-O` output files, one download per URL with its events
 * printed, the summary line and GNU wget's exit code.
 *
 * Unlike the rest of `lib/`, this module talks to the user (on stderr), so that `cmd/wget.ts`
 * stays thin; the command imports it only once it has URLs to fetch, which keeps `--help` fast.
 *
 * @module
 */

import {
  type CommandLineSpec,
  parseCount,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../../lib/cli/command_line.ts";
import {
  download,
  downloadExitCode,
  type DownloadOptions,
  fileErrorText,
  fileWriter,
  WGET_EXIT,
} from "../../lib/download/download.ts";
import { HttpConnectionPool } from "../../lib/http/pool.ts";
import { type ProxySettings, proxySettingsFromEnv } from "../../lib/download/proxy.ts";
import { quoteName, WgetReporter } from "./reporter.ts";
import type { WgetRecursiveValues } from "./recursive.ts";

/** wget's parsed option values, by long name. */
export interface WgetValues extends WgetRecursiveValues {
  "output-document"?: string;
  "directory-prefix"?: string;
  quiet?: boolean;
  "server-response"?: boolean;
  timeout?: string;
  tries?: string;
  waitretry?: string;
  continue?: boolean;
  "no-clobber"?: boolean;
  "max-redirect"?: string;
  "content-disposition"?: boolean;
  "trust-server-names"?: boolean;
  "user-agent"?: string;
  header?: string[];
  "input-file"?: string;
  spider?: boolean;
  "ca-certificate"?: string;
  "no-check-certificate"?: boolean;
  "no-verbose"?: boolean;
  "no-directories"?: boolean;
  "no-host-directories"?: boolean;
  "no-parent"?: boolean;
  "retry-on-http-error"?: string;
  "post-data"?: string;
  "post-file"?: string;
  "body-data"?: string;
  "body-file"?: string;
  method?: string;
  referer?: string;
  user?: string;
  password?: string;
  "http-user"?: string;
  "http-password"?: string;
  "auth-no-challenge"?: boolean;
  timestamping?: boolean;
  "no-use-server-timestamps"?: boolean;
  "no-proxy"?: boolean;
  "proxy-user"?: string;
  "proxy-password"?: string;
  execute?: string[];
}

/** `-e` / `.wgetrc` commands that take a value, and the option each sets. */
const EXECUTE_STRINGS: Record<string, keyof WgetValues> = {
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
};

/** `-e` commands that switch something on or off: the option, and whether "on" sets it. */
const EXECUTE_SWITCHES: Record<string, [keyof WgetValues, boolean]> = {
  quiet: ["quiet", true],
  serverresponse: ["server-response", true],
  continue: ["continue", true],
  noclobber: ["no-clobber", true],
  contentdisposition: ["content-disposition", true],
  trustservernames: ["trust-server-names", true],
  spider: ["spider", true],
  checkcertificate: ["no-check-certificate", false],
  timestamping: ["timestamping", true],
  useservertimestamps: ["no-use-server-timestamps", false],
  authnochallenge: ["auth-no-challenge", true],
  useproxy: ["no-proxy", false],
  verbose: ["no-verbose", false],
};

/** `-e` commands that matter only when recursing, or that netkit takes as they are. */
const EXECUTE_IGNORED = new Set(["robots", "recursive", "dirstruct", "addhostdir", "noparent"]);

/** Proxy settings that `-e` may set. */
const EXECUTE_PROXY = new Set(["httpproxy", "httpsproxy", "noproxy"]);

/**
 * Applies GNU wget's `-e COMMAND` (a `.wgetrc` line: `name = value`, the name without regard to
 * case, `_` or `-`) to the option values; returns the proxy settings it names.
 */
function applyExecute(values: WgetValues): Record<string, string> {
  const proxies: Record<string, string> = {};
  const mutable = values as Record<string, unknown>;
  for (const command of values.execute ?? []) {
    const equals = command.indexOf("=");
    const name = command.slice(0, Math.max(equals, 0)).trim().toLowerCase().replace(/[-_]/g, "");
    const value = command.slice(equals + 1).trim();
    if (equals <= 0) throw new UsageError(`Invalid --execute command "${command}"`);
    if (name in EXECUTE_STRINGS) {
      mutable[EXECUTE_STRINGS[name]!] = value;
    } else if (name in EXECUTE_SWITCHES) {
      const on = /^(on|yes|1|true)$/i.test(value);
      if (!on && !/^(off|no|0|false)$/i.test(value)) {
        throw new UsageError(`--execute ${name} takes on or off, not "${value}"`);
      }
      const [option, sets] = EXECUTE_SWITCHES[name]!;
      mutable[option] = on === sets;
    } else if (name === "header") {
      values.header = [...(values.header ?? []), value];
    } else if (EXECUTE_PROXY.has(name)) {
      proxies[name] = value;
    } else if (!EXECUTE_IGNORED.has(name)) {
      throw new UsageError(`Invalid --execute command "${command}"`);
    }
  }
  return proxies;
}

/** Whether the values ask for -r, -m or -p (checked before loading the recursion). */
function isRecursive(values: WgetRecursiveValues): boolean {
  return Boolean(values.recursive || values.mirror || values["page-requisites"]);
}

/** GNU wget's precedence when several URLs fail: the lowest code wins, except that 1 loses. */
function worse(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  if (a === WGET_EXIT.generic) return b;
  if (b === WGET_EXIT.generic) return a;
  return Math.min(a, b);
}

/** Maps the option values onto download options; throws {@linkcode UsageError}. */
function downloadOptions(values: WgetValues): DownloadOptions {
  const headers = (values.header ?? []).map((line): [string, string] => {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new UsageError(`--header takes "NAME: VALUE", not "${line}"`);
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  const proxies = applyExecute(values);
  const options: DownloadOptions = {
    headers,
    directory: values["directory-prefix"],
    noClobber: values["no-clobber"],
    resume: values.continue,
    contentDisposition: values["content-disposition"],
    trustServerNames: values["trust-server-names"],
    spider: values.spider,
    checkCertificate: !values["no-check-certificate"],
  };
  if (values["user-agent"] !== undefined) options.userAgent = values["user-agent"];
  if (values.timeout !== undefined) options.timeoutMs = parseSeconds(values.timeout, "--timeout");
  if (values.tries !== undefined) {
    options.tries = parseCount(values.tries, "--tries", 0, 1_000_000);
  }
  if (values.waitretry !== undefined) {
    options.retryWaitMs = parseSeconds(values.waitretry, "--waitretry");
  }
  if (values["max-redirect"] !== undefined) {
    options.maxRedirects = parseCount(values["max-redirect"], "--max-redirect", 0, 1000);
  }
  if (values["retry-on-http-error"] !== undefined) {
    options.retryOnHttpError = values["retry-on-http-error"].split(",").map((code) => {
      const status = Number(code.trim());
      if (!/^\s*[1-5][0-9]{2}\s*$/.test(code)) {
        throw new UsageError(`--retry-on-http-error takes HTTP status codes, not "${code}"`);
      }
      return status;
    });
  }
  if (options.timeoutMs === 0) options.timeoutMs = 2 ** 31 - 1;
  const bodies = ["post-data", "post-file", "body-data", "body-file"] as const;
  const given = bodies.filter((name) => values[name] !== undefined);
  if (given.length > 1) throw new UsageError(`--${given[0]} and --${given[1]} cannot go together`);
  if (values["post-data"] !== undefined || values["post-file"] !== undefined) {
    if (values.method !== undefined) {
      throw new UsageError(`--method cannot go with --${given[0]}; use --body-data or --body-file`);
    }
    options.method = "POST";
  }
  if (values["body-data"] !== undefined || values["body-file"] !== undefined) {
    if (values.method === undefined) throw new UsageError(`--${given[0]} needs --method`);
  }
  if (values.method !== undefined) options.method = values.method.toUpperCase();
  const data = values["post-data"] ?? values["body-data"];
  if (data !== undefined) options.body = data;
  if (values.referer !== undefined) headers.push(["Referer", values.referer]);
  const user = values["http-user"] ?? values.user;
  const password = values["http-password"] ?? values.password;
  if (user !== undefined || password !== undefined) {
    options.credentials = { username: user ?? "", password: password ?? "" };
  }
  options.authNoChallenge = values["auth-no-challenge"];
  options.basicAuthOrigins = new Set();
  options.timestamping = values.timestamping;
  options.useServerTimestamps = !values["no-use-server-timestamps"];
  if (!values["no-proxy"]) {
    const fromEnv = proxySettingsFromEnv(Deno.env.toObject());
    const settings: ProxySettings = {
      http: proxies.httpproxy ?? fromEnv.http,
      https: proxies.httpsproxy ?? fromEnv.https,
      noProxy: proxies.noproxy ?? fromEnv.noProxy,
    };
    const proxyUser = values["proxy-user"];
    const proxyPassword = values["proxy-password"];
    if (proxyUser !== undefined || proxyPassword !== undefined) {
      // --proxy-user/--proxy-password win over credentials in the proxy's URL.
      for (const key of ["http", "https"] as const) {
        const url = settings[key];
        if (!url) continue;
        const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`);
        parsed.username = encodeURIComponent(proxyUser ?? "");
        parsed.password = encodeURIComponent(proxyPassword ?? "");
        settings[key] = parsed.href;
      }
    }
    if (settings.http || settings.https) options.proxy = settings;
  }
  return options;
}

/**
 * The URLs of an `-i` list: one a line, as GNU wget reads it (a line is not split on inner
 * spaces; blank lines and `#` lines are skipped).
 */
function urlsOfList(text: string): string[] {
  return text.split("\n").map((line) => line.trim()).filter((line) =>
    line !== "" && !line.startsWith("#")
  );
}

/**
 * Downloads every URL as GNU wget does and returns its exit code (0–8); prints progress and
 * errors on stderr, usage errors with `spec`'s usage.
 *
 * @param values The parsed options.
 * @param urls The URL arguments (`-i` adds more).
 * @param spec The command's spec, for usage errors.
 * @returns GNU wget's exit code: 0 ok, 2 usage, 3 file I/O, 4 network, … 8 server error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runWget } from "./command.ts";
 *
 * const spec = { name: "wget", usage: "Usage: wget URL...", options: {} };
 * assert.equal(await runWget({ header: ["no colon"] }, ["http://127.0.0.1/"], spec), 2);
 * ```
 */
export async function runWget(
  values: WgetValues,
  urls: readonly string[],
  spec: CommandLineSpec,
): Promise<number> {
  let options: DownloadOptions;
  const all = [...urls];
  // -r, -m, -p: the recursion lives in its own module, loaded only when asked for.
  const recursion = isRecursive(values) ? await import("./recursive.ts") : undefined;
  let recursive;
  try {
    options = downloadOptions(values);
    recursive = recursion?.recursiveOptions(values);
  } catch (error) {
    return reportUsageError(spec, error);
  }
  // Files named by options: read before any request; a failure names the file, as GNU's does.
  let reading = "";
  try {
    const bodyFile = values["post-file"] ?? values["body-file"];
    if (bodyFile !== undefined) options.body = await Deno.readFile(reading = bodyFile);
    if (values["ca-certificate"] !== undefined) {
      options.caCerts = [await Deno.readTextFile(reading = values["ca-certificate"])];
    }
    const list = values["input-file"];
    if (list !== undefined) {
      reading = list;
      all.push(
        ...urlsOfList(
          list === "-"
            ? await new Response(Deno.stdin.readable).text()
            : await Deno.readTextFile(list),
        ),
      );
    }
  } catch (error) {
    console.error(`wget: ${reading}: ${fileErrorText(error)}`);
    return WGET_EXIT.fileIo;
  }
  if (all.length === 0) {
    // GNU wget's exit code for a missing URL is 1, not the usage error's 2.
    reportUsageError(spec, new UsageError("missing URL"));
    return WGET_EXIT.generic;
  }

  const quiet = values.quiet ?? false;
  let sink: Deno.FsFile | undefined;
  const output = values["output-document"];
  if (output !== undefined && output !== "-") {
    // -nc -O FILE leaves an existing FILE alone: checked before FILE is opened, which truncates.
    if (options.noClobber && pathExists(output)) {
      if (!quiet) console.error(`File ${quoteName(output)} already there; not retrieving.`);
      return WGET_EXIT.generic;
    }
    try {
      // -O truncates, as GNU wget's does; with -c it appends to what is there.
      sink = Deno.openSync(output, {
        write: true,
        create: true,
        truncate: !options.resume,
        append: options.resume ?? false,
      });
    } catch (error) {
      // GNU wget: "out: Is a directory", exit 1.
      console.error(`wget: ${output}: ${fileErrorText(error)}`);
      return WGET_EXIT.generic;
    }
  }
  if (output !== undefined) {
    options.output = { name: output, writer: fileWriter(sink ?? Deno.stdout, output) };
  }

  const reporter = new WgetReporter({
    quiet,
    serverResponse: values["server-response"],
    nonVerbose: values["no-verbose"],
  });
  options.events = reporter.events;
  if (recursion && recursive) {
    return await recursion.runRecursive(recursive, all, options, reporter, quiet);
  }
  let status: number = WGET_EXIT.ok;
  let files = 0;
  let totalBytes = 0;
  let downloadMs = 0;
  const started = performance.now();
  // One pool for the whole command line: URLs on the same server share a kept-alive connection,
  // as with GNU wget.
  const pool = new HttpConnectionPool();
  options.pool = pool;
  try {
    for (const [index, url] of all.entries()) {
      if (sink && options.output) {
        // Each document starts where the last ended; -c resumes the first after what is there.
        options.output.offset = options.resume && index === 0 ? sink.statSync().size : 0;
      }
      const begun = performance.now();
      try {
        const result = await download(url, options);
        reporter.finish(result);
        if (result.skipped === undefined && result.path !== undefined) {
          files++;
          totalBytes += result.bytes;
          downloadMs += performance.now() - begun;
        }
      } catch (error) {
        reporter.fail(error);
        status = worse(status, downloadExitCode(error));
      }
    }
  } finally {
    await pool.close();
    sink?.close();
  }
  if (all.length > 1 || (values["input-file"] !== undefined && totalBytes > 0)) {
    reporter.summary({ files, bytes: totalBytes, wallMs: performance.now() - started, downloadMs });
  }
  return status;
}

function pathExists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
