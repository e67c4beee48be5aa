/**
 * wget: download files over HTTP and HTTPS, with GNU wget's options and exit codes.
 *
 * @module
 */

import {
  parseCommandLine,
  parseCount,
  parseSeconds,
  reportUsageError,
  UsageError,
} from "../lib/cli.ts";
import {
  download,
  type DownloadEvents,
  downloadExitCode,
  DownloadFileError,
  type DownloadOptions,
  type DownloadResult,
  fileWriter,
  WGET_EXIT,
} from "../lib/download.ts";
import { formatBytes, formatProgressLine } from "../lib/progress.ts";

export const usage = `Usage: wget [OPTION]... URL...

Download each URL (http:// or https://) into the current directory, named after the URL's last
path segment (index.html for "/"). An existing file is never overwritten: the new copy becomes
NAME.1, NAME.2, ...

  -O, --output-document FILE   write all documents into FILE ("-" for standard output)
  -P, --directory-prefix DIR   save files under DIR
  -q, --quiet                  print nothing but errors
  -S, --server-response        print the server's response headers
  -T, --timeout SECONDS        connect, response-head and read timeout (default 900)
  -t, --tries N                attempts on network errors and 5xx; 0 for no limit (default 20)
      --waitretry SECONDS      longest wait between attempts: 1 s, 2 s, ... (default 10)
  -c, --continue               resume a partly downloaded file
  -nc, --no-clobber            skip a URL whose file exists
      --max-redirect N         follow at most N redirects (default 20)
      --content-disposition    name files after the Content-Disposition header
      --trust-server-names     name files after the last redirect's URL
  -U, --user-agent AGENT       send AGENT as User-Agent
      --header "NAME: VALUE"   send an extra header (repeatable)
  -i, --input-file FILE        read URLs from FILE ("-" for standard input)
      --spider                 only check that the URLs exist (HEAD)
      --ca-certificate FILE    also trust the PEM certificate(s) in FILE
      --no-check-certificate   do not verify the server's certificate
  -h, --help                   print this help
  -V, --version                print the version

Exit status: 0 ok, 1 generic error, 2 usage error, 3 file I/O error, 4 network failure,
5 TLS verification failure, 6 authentication failure, 7 protocol error, 8 server error response.`;

const OPTIONS = {
  "output-document": { type: "string", short: "O" },
  "directory-prefix": { type: "string", short: "P" },
  quiet: { type: "boolean", short: "q" },
  "server-response": { type: "boolean", short: "S" },
  timeout: { type: "string", short: "T" },
  tries: { type: "string", short: "t" },
  waitretry: { type: "string" },
  continue: { type: "boolean", short: "c" },
  "no-clobber": { type: "boolean" },
  "max-redirect": { type: "string" },
  "content-disposition": { type: "boolean" },
  "trust-server-names": { type: "boolean" },
  "user-agent": { type: "string", short: "U" },
  header: { type: "string", multiple: true },
  "input-file": { type: "string", short: "i" },
  spider: { type: "boolean" },
  "ca-certificate": { type: "string" },
  "no-check-certificate": { type: "boolean" },
} as const;

const SPEC = { name: "wget", usage, options: OPTIONS };

/** GNU wget's precedence when several URLs fail: the lowest code wins, except that 1 loses. */
function worse(a: number, b: number): number {
  if (a === 0) return b;
  if (b === 0) return a;
  if (a === WGET_EXIT.generic) return b;
  if (b === WGET_EXIT.generic) return a;
  return Math.min(a, b);
}

export async function main(args: string[]): Promise<number> {
  // GNU wget's two-letter short option and -V; node:util's parser takes single letters only.
  const before = args.indexOf("--") < 0 ? args.length : args.indexOf("--");
  const normalised = args.map((arg, i) =>
    i >= before ? arg : arg === "-nc" ? "--no-clobber" : arg === "-V" ? "--version" : arg
  );
  const parsed = parseCommandLine(normalised, SPEC);
  if (typeof parsed === "number") return parsed;
  const values = parsed.values as {
    [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true } ? string[]
      : (typeof OPTIONS)[K] extends { type: "boolean" } ? boolean
      : string;
  };
  const quiet = values.quiet ?? false;
  let options: DownloadOptions;
  const urls = [...parsed.positionals];
  try {
    const headers = (values.header ?? []).map((line): [string, string] => {
      const colon = line.indexOf(":");
      if (colon <= 0) throw new UsageError(`--header takes "NAME: VALUE", not "${line}"`);
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    });
    options = {
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
    if (options.timeoutMs === 0) options.timeoutMs = 2 ** 31 - 1;
  } catch (error) {
    return reportUsageError(SPEC, error);
  }
  try {
    if (values["ca-certificate"] !== undefined) {
      options.caCerts = [await Deno.readTextFile(values["ca-certificate"])];
    }
    if (values["input-file"] !== undefined) {
      const file = values["input-file"];
      const text = file === "-"
        ? await new Response(Deno.stdin.readable).text()
        : await Deno.readTextFile(file);
      for (const line of text.split("\n")) {
        if (!line.trim().startsWith("#")) urls.push(...line.split(/\s+/).filter(Boolean));
      }
    }
  } catch (error) {
    console.error(`wget: ${error instanceof Error ? error.message : error}`);
    return WGET_EXIT.fileIo;
  }
  if (urls.length === 0) return reportUsageError(SPEC, new UsageError("missing URL"));

  let sink: Deno.FsFile | undefined;
  const output = values["output-document"];
  if (output !== undefined && output !== "-") {
    try {
      // -O truncates, as GNU wget's does; with -c it appends to what is there.
      sink = Deno.openSync(output, {
        write: true,
        create: true,
        truncate: !options.resume,
        append: options.resume,
      });
    } catch (error) {
      console.error(`wget: ${new DownloadFileError(output, error).message}`);
      return WGET_EXIT.fileIo;
    }
  }
  if (output !== undefined) {
    options.output = { name: output, writer: fileWriter(sink ?? Deno.stdout, output) };
  }

  const reporter = new Reporter(quiet, values["server-response"] ?? false);
  options.events = reporter.events;
  let status: number = WGET_EXIT.ok;
  let files = 0;
  let totalBytes = 0;
  try {
    for (const [index, url] of urls.entries()) {
      if (sink && options.output) {
        // Each document starts where the last ended; a restarted body goes back to that point.
        const file = sink;
        const base = file.statSync().size;
        options.output.offset = options.resume && index === 0 ? base : 0;
        const start = options.output.offset > 0 ? 0 : base;
        options.output.restart = () => {
          file.truncateSync(start);
          file.seekSync(start, Deno.SeekMode.Start);
        };
      }
      try {
        const result = await download(url, options);
        reporter.finish(result);
        files++;
        totalBytes += result.bytes;
      } catch (error) {
        reporter.fail(error);
        status = worse(status, downloadExitCode(error));
      }
    }
  } finally {
    sink?.close();
  }
  if (!quiet && urls.length > 1) {
    console.error(
      `Downloaded: ${files} of ${urls.length} URLs. Total number of bytes fetched: ${totalBytes}`,
    );
  }
  return status;
}

/** Prints what a download reports on stderr: plain lines, a bar on a terminal, nothing with -q. */
class Reporter {
  readonly #quiet: boolean;
  readonly #serverResponse: boolean;
  readonly #tty = Deno.stderr.isTerminal();
  readonly #encoder = new TextEncoder();
  #path = "";
  #offset = 0;
  #total: number | undefined;
  #received = 0;
  #started = 0;
  #lastDraw = 0;
  #nextPlainQuarter = 1;
  #drawn = false;

  constructor(quiet: boolean, serverResponse: boolean) {
    this.#quiet = quiet;
    this.#serverResponse = serverResponse;
  }

  #line(text: string): void {
    if (this.#quiet) return;
    this.#clear();
    Deno.stderr.writeSync(this.#encoder.encode(`${text}\n`));
  }

  #clear(): void {
    if (this.#drawn) {
      Deno.stderr.writeSync(this.#encoder.encode("\r\x1b[K"));
      this.#drawn = false;
    }
  }

  readonly events: DownloadEvents = {
    request: (url) => this.#line(`--  ${url.href}`),
    response: (response) => {
      if (this.#serverResponse && !this.#quiet) {
        for (const line of response.head.lines) this.#line(`  ${line}`);
      } else {
        this.#line(`HTTP response: ${response.status} ${response.head.reason}`.trimEnd());
      }
    },
    redirect: (_from, to) => this.#line(`Location: ${to} [following]`),
    start: ({ path, offset, total }) => {
      this.#path = path;
      this.#offset = offset;
      this.#total = total;
      this.#received = offset;
      this.#started = performance.now();
      this.#lastDraw = 0;
      this.#nextPlainQuarter = 1;
      const length = total === undefined
        ? "unspecified"
        : total < 1024
        ? `${total}`
        : `${total} (${formatBytes(total)})`;
      this.#line(offset > 0 ? `Length: ${length}, ${offset} already there` : `Length: ${length}`);
      this.#line(`Saving to: '${path}'`);
    },
    progress: (received) => {
      this.#received = this.#offset + received;
      if (this.#quiet) return;
      const now = performance.now();
      if (this.#tty) {
        if (now - this.#lastDraw < 100) return;
        this.#lastDraw = now;
        this.#draw(now);
      } else if (this.#total) {
        while (
          this.#nextPlainQuarter < 4 && this.#received < this.#total &&
          this.#received >= (this.#total * this.#nextPlainQuarter) / 4
        ) {
          this.#line(`  ${this.#nextPlainQuarter * 25}%  ${formatBytes(this.#received)}`);
          this.#nextPlainQuarter++;
        }
      }
    },
    retry: (error, attempt, waitMs) => {
      this.#line(`wget: ${message(error)}`);
      this.#line(`Retrying (attempt ${attempt + 1}) in ${waitMs / 1000} s.`);
    },
  };

  #draw(now: number): void {
    const columns = consoleColumns();
    const line = formatProgressLine(this.#path, {
      received: this.#received,
      total: this.#total,
      fetched: this.#received - this.#offset,
      elapsedMs: now - this.#started,
    }, columns - 1);
    Deno.stderr.writeSync(this.#encoder.encode(`\r${line}\x1b[K`));
    this.#drawn = true;
  }

  finish(result: DownloadResult): void {
    if (this.#quiet) return;
    if (result.skipped === "exists") {
      this.#line(`File '${result.path}' already there; not retrieving.`);
    } else if (result.skipped === "complete") {
      this.#line(`The file '${result.path}' is already fully retrieved; nothing to do.`);
    } else if (result.path === undefined) {
      this.#line(
        `Remote file exists${result.size === undefined ? "" : ` (${result.size} bytes)`}.`,
      );
    } else {
      this.#clear();
      const size = result.size ?? result.bytes;
      const of = this.#total === undefined ? `${size}` : `${size}/${this.#total}`;
      this.#line(`'${result.path}' saved [${of}]`);
    }
  }

  fail(error: unknown): void {
    this.#clear();
    console.error(`wget: ${message(error)}`);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function consoleColumns(): number {
  try {
    // A terminal that reports no size (0 columns) gets the classic 80.
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
