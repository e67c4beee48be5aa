/**
 * What `wget` needs before any download: its usage text, GNU's short usage, GNU's progress types,
 * and the guess whether TLS will be needed. The options are in cmd/_wget/gnu_options.ts, read by
 * cmd/_wget/command_line.ts.
 *
 * @module
 */

/** The usage text. */
export const usage: string = `Usage: wget [OPTION]... URL...

Download each URL (http:// or https://) into the current directory, named after the URL's last
path segment (index.html for "/"). An existing file is never overwritten: the new copy becomes
NAME.1, NAME.2, ...

  -O, --output-document FILE   write all documents into FILE ("-" for standard output)
  -P, --directory-prefix DIR   save files under DIR
  -q, --quiet                  print nothing (the exit code tells), as GNU wget
  -o, --output-file FILE       write messages to FILE instead of stderr (-a FILE appends)
      --progress TYPE          bar (on a terminal; dots elsewhere, as GNU) or dot[:default|binary|
                               mega|giga]; --show-progress shows it even with -q or -nv
  -b, --background             go to the background at once; messages to wget-log (or -o FILE)
  -S, --server-response        print the server's response headers
  -T, --timeout TIME           the three timeouts below at once (TIME: seconds, or 1.5m, 2h, 1d)
      --dns-timeout TIME       give up a name lookup after TIME (default: the resolver's own)
      --connect-timeout TIME   give up connecting after TIME (default 900 s)
      --read-timeout TIME      give up when a read waits longer than TIME (default 900 s)
  -4, --inet4-only             connect to IPv4 addresses only
  -6, --inet6-only             connect to IPv6 addresses only
      --prefer-family FAMILY   try IPv4 or IPv6 addresses first (none: the resolver's order)
  -t, --tries N                attempts on network errors and 504; 0 for no limit (default 20)
      --retry-on-http-error LIST   also retry these statuses (e.g. 500,503)
      --waitretry TIME         longest wait between attempts: 1 s, 2 s, ... (default 10)
  -c, --continue               resume a partly downloaded file
      --start-pos OFFSET       fetch each file from byte OFFSET on (Range)
  -nc, --no-clobber            skip a URL whose file exists
  -nv, --no-verbose            one line per file, and errors
  -v, --verbose                GNU's full log (the default)
      --max-redirect N         follow at most N redirects (default 20)
      --content-disposition    name files after the Content-Disposition header
      --trust-server-names     name files after the last redirect's URL
  -N, --timestamping           fetch only when the server's copy is newer (If-Modified-Since)
      --no-if-modified-since   with -N, ask with HEAD first instead
      --backups N              keep N copies of a file written again (NAME.1, NAME.2, ...)
      --no-use-server-timestamps   do not give files the server's Last-Modified time
      --post-data TEXT         POST TEXT (application/x-www-form-urlencoded)
      --post-file FILE         POST the contents of FILE
      --method METHOD          use METHOD (with --body-data TEXT or --body-file FILE)
      --user USER, --password PASS   Basic authentication, sent after the server's 401
                               (--http-user, --http-password too)
      --ask-password           read the password from the terminal (standard input), not echoed
      --auth-no-challenge      send the credentials with the first request
      --referer URL            send Referer: URL
      --no-proxy               ignore http_proxy, https_proxy (no_proxy lists hosts that go direct)
  -Y, --proxy on|off           use the proxies (on, the default) or not (off: as --no-proxy)
      --proxy-user USER, --proxy-password PASS   credentials for the proxy
  -e, --execute COMMAND        a .wgetrc command: use_proxy=off, http_proxy=HOST:PORT, robots=off,
                               recursive=on, reclevel=2, accept=LIST, wait=1m, ...
      --config FILE            read FILE instead of /etc/wgetrc and ~/.wgetrc ($WGETRC)
      --no-config              read no .wgetrc at all
  -U, --user-agent AGENT       send AGENT as User-Agent
      --header "NAME: VALUE"   send an extra header (repeatable)
  -i, --input-file FILE        read URLs from FILE ("-" for standard input)
  -B, --base URL               resolve relative URLs of the -i list against URL
  -F, --force-html             read the -i file as HTML: fetch the pages its links name
  -w, --wait TIME              wait between downloads (--random-wait: 0.5 to 1.5 times that)
  -Q, --quota SIZE             stop an -i list (with -r, the recursion) once SIZE bytes are fetched
      --limit-rate RATE        at most RATE bytes a second (k and m suffixes: 500k, 2m)
      --retry-connrefused      try again when the connection is refused
      --no-cookies             neither send nor keep cookies (kept in memory by default)
      --load-cookies FILE      load cookies from FILE (Netscape cookies.txt)
      --save-cookies FILE      save cookies to FILE at the end (with --keep-session-cookies,
                               session cookies too)
      --no-hsts                no HSTS (by default, http:// URLs of hosts that sent
                               Strict-Transport-Security over https are fetched over https)
      --hsts-file FILE         the HSTS store (default ~/.wget-hsts, GNU wget's)
      --compression TYPE       none (default: the body as stored), auto or gzip (ask for gzip
                               and store it decoded; turns -c off, as GNU)
      --ignore-length          ignore Content-Length: read the body until the server closes
      --content-on-error       save the body of an error response too
      --save-headers           write the response head before the body
      --spider                 only check that the URLs exist (HEAD)
      --ca-certificate FILE    also trust the PEM certificate(s) in FILE
      --ca-directory DIR       also trust the PEM certificates in DIR
      --certificate FILE       a client certificate
      --certificate-type TYPE  PEM (default) or DER
      --private-key FILE       its private key (default: in the certificate's file)
      --private-key-type TYPE  PEM (default) or DER; as GNU wget with GnuTLS, both files are read
                               as the key's type
      --no-check-certificate   do not verify the server's certificate

Recursive retrieval (GNU wget's layout: HOST/path/file under -P):
  -r, --recursive              follow links in HTML and CSS pages
  -l, --level N                follow links N deep; inf or 0 for no limit (default 5)
  -np, --no-parent             never ascend above the start URL's directory
  -m, --mirror                 -r -N -l inf
  -p, --page-requisites        also fetch what each page needs to display
  -A, --accept LIST            keep only files whose names end in or match LIST (a,b,*.x)
  -R, --reject LIST            delete files whose names end in or match LIST
      --ignore-case            compare -A and -R without regard to case
  -H, --span-hosts             follow links to other hosts
  -D, --domains LIST           with -H, only these domains
      --exclude-domains LIST   never these domains
  -nd, --no-directories        save every file in one directory
  -x, --force-directories      recreate the URL's directories
  -nH, --no-host-directories   no HOST directory
      --protocol-directories   a scheme directory above the HOST directory
      --cut-dirs N             drop N leading directories of the URL's path
      --restrict-file-names M  escape more in names: windows, ascii, nocontrol, lowercase, ...
  -k, --convert-links          after the run, point links at the local copies
  -K, --backup-converted       keep each converted page's original as NAME.orig
      --convert-file-only      as -k, but rewrite only the file-name part of links to saved files
  -I, --include-directories L  only these directories (a,b; wildcards match a whole one)
  -X, --exclude-directories L  never these directories
      --accept-regex REGEX     only URLs matching REGEX
      --reject-regex REGEX     never URLs matching REGEX
      --regex-type TYPE        posix (default: POSIX extended, as GNU) or pcre
      --follow-tags LIST       only links in these HTML tags
      --ignore-tags LIST       never links in these HTML tags
  -L, --relative               follow relative links only
      --https-only             follow HTTPS links only
      --rejected-log FILE      log each link not followed and why (GNU's tab-separated form)
      --max-threads N          fetch up to N URLs at once (GNU Wget2's option; default 1)
      --delete-after           remove each file after downloading it
  -E, --adjust-extension       add .html to HTML and .css to CSS saved under other names
  -h, --help                   print this help
  -V, --version                print the version

GNU wget's command line: a long option may be shortened to any unambiguous prefix (--no-check-cert),
every on/off option has its --no- form and takes =on|off (--no-timestamping, --quiet=off); GNU's
other options are known too: ignored when they change nothing over HTTP (FTP, --no-iri, -d),
taken with a warning or refused when netkit lacks them (--secure-protocol; the WARC options).

Exit status: 0 ok, 1 generic error, 2 usage error, 3 file I/O error, 4 network failure,
5 TLS verification failure, 6 authentication failure, 7 protocol error, 8 server error response.`;

/** GNU's short usage, printed after a usage error. */
export const SHORT_USAGE = "Usage: wget [OPTION]... [URL]...";

/** GNU's lines after a usage error: its short usage, a blank line and where to find help. */
export const USAGE_TAIL = `${SHORT_USAGE}\n\nTry \`wget --help' for more options.`;

/**
 * Whether an `https://` URL is given, on the command line or in the `-i` file (a guess: cheap).
 * Only a regular file is peeked at: a pipe (`-i /dev/stdin`) would be drained before its reader.
 */
export function needsTls(
  values: { "input-file"?: string; base?: string },
  urls: string[],
): boolean {
  const https = /^\s*https:/im;
  if (urls.some((url) => https.test(url)) || https.test(values.base ?? "")) return true;
  const list = values["input-file"];
  if (list === undefined || list === "-") return false;
  try {
    const info = Deno.statSync(list);
    return info.isFile && info.size <= 1024 * 1024 && https.test(Deno.readTextFileSync(list));
  } catch {
    return false; // The command says why, when it reads the list.
  }
}

/**
 * GNU's `--progress=TYPE[:PARAMS]` with TYPE written out: GNU takes any prefix of `dot` or `bar`
 * (the empty one is `dot`); undefined for another TYPE (GNU's "Invalid progress type").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gnuProgressType } from "./spec.ts";
 *
 * assert.equal(gnuProgressType("d:mega"), "dot:mega");
 * assert.equal(gnuProgressType("bar:force"), "bar:force");
 * assert.equal(gnuProgressType("foo"), undefined);
 * ```
 */
export function gnuProgressType(text: string): string | undefined {
  const colon = text.indexOf(":");
  const type = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? "" : text.slice(colon);
  if ("dot".startsWith(type)) return `dot${rest}`;
  if ("bar".startsWith(type)) return `bar${rest}`;
  return undefined;
}
