/**
 * GNU Wget 1.21.3's command-line options as its `getopt_long` sees them: the long options in the
 * order of its table (`option_data` in its main.c, each boolean followed by its `no-` twin), and
 * the short ones. The table is that of Debian's GNU Wget 1.21.3 (no c-ares, no Metalink), each
 * name and argument checked against the binary; tests/cmd/wget_gnu_command_line_test.ts checks
 * them again against the installed GNU wget when there is one.
 *
 * @module
 */

/**
 * The long options, in GNU's order (the order of its "is ambiguous; possibilities:" lists):
 * `NAME=` takes an argument (`--NAME VALUE` or `--NAME=VALUE`), `NAME?` an optional one
 * (`--NAME=VALUE` only: the booleans, `--clobber`, `--parent`), `NAME` none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GNU_LONG_OPTIONS } from "./gnu_options.ts";
 *
 * assert.equal(GNU_LONG_OPTIONS.length, 240);
 * assert.ok(GNU_LONG_OPTIONS.includes("no-check-certificate"));
 * ```
 */
export const GNU_LONG_OPTIONS: readonly string[] = `
  accept= accept-regex= adjust-extension? no-adjust-extension append-output= ask-password?
  no-ask-password auth-no-challenge? no-auth-no-challenge background? no-background
  backup-converted? no-backup-converted backups? no-backups base= bind-address= body-data=
  body-file= ca-certificate= ca-directory= cache? no-cache certificate= certificate-type=
  check-certificate? no-check-certificate clobber? compression= config= connect-timeout=
  continue? no-continue convert-file-only? no-convert-file-only convert-links? no-convert-links
  content-disposition? no-content-disposition content-on-error? no-content-on-error cookies?
  no-cookies crl-file= cut-dirs= debug? no-debug default-page= delete-after? no-delete-after
  directories? no-directories directory-prefix= dns-cache? no-dns-cache dns-timeout= domains=
  dont-remove-listing dot-style= egd-file= exclude-directories= exclude-domains= execute=
  follow-ftp? no-follow-ftp follow-tags= force-directories? no-force-directories force-html?
  no-force-html ftp-password= ftp-user= ftps-clear-data-connection? no-ftps-clear-data-connection
  ftps-fallback-to-ftp? no-ftps-fallback-to-ftp ftps-implicit? no-ftps-implicit ftps-resume-ssl?
  no-ftps-resume-ssl glob? no-glob header= help host-directories? no-host-directories hsts?
  no-hsts hsts-file= html-extension? no-html-extension htmlify? no-htmlify http-keep-alive?
  no-http-keep-alive http-passwd= http-password= http-user= https-only? no-https-only
  ignore-case? no-ignore-case ignore-length? no-ignore-length ignore-tags= include-directories=
  inet4-only? no-inet4-only inet6-only? no-inet6-only input-file= iri? no-iri keep-badhash?
  no-keep-badhash keep-session-cookies? no-keep-session-cookies level= limit-rate= load-cookies=
  local-encoding= rejected-log= max-redirect= method= mirror? no-mirror netrc? no-netrc no=
  no-clobber? no-no-clobber no-config? no-no-config no-parent? no-no-parent output-document=
  output-file= page-requisites? no-page-requisites parent? passive-ftp? no-passive-ftp password=
  pinnedpubkey= post-data= post-file= prefer-family= preserve-permissions?
  no-preserve-permissions ciphers= private-key= private-key-type= progress= show-progress?
  no-show-progress protocol-directories? no-protocol-directories proxy? no-proxy proxy__compat=
  proxy-passwd= proxy-password= proxy-user= quiet? no-quiet quota= random-file= random-wait?
  no-random-wait read-timeout= recursive? no-recursive referer= regex-type= reject= reject-regex=
  relative? no-relative remote-encoding= remove-listing? no-remove-listing report-speed?
  no-report-speed restrict-file-names? no-restrict-file-names retr-symlinks? no-retr-symlinks
  retry-connrefused? no-retry-connrefused retry-on-host-error? no-retry-on-host-error
  retry-on-http-error= save-cookies= save-headers? no-save-headers secure-protocol=
  server-response? no-server-response span-hosts? no-span-hosts spider? no-spider start-pos=
  strict-comments? no-strict-comments timeout= timestamping? no-timestamping if-modified-since?
  no-if-modified-since tries= unlink? no-unlink trust-server-names? no-trust-server-names
  use-askpass= use-server-timestamps? no-use-server-timestamps user= user-agent= verbose?
  no-verbose version wait= waitretry= warc-cdx? no-warc-cdx warc-compression? no-warc-compression
  warc-dedup= warc-digests? no-warc-digests warc-file= warc-header= warc-keep-log?
  no-warc-keep-log warc-max-size= warc-tempdir= xattr? no-xattr
`.trim().split(/\s+/);

/**
 * The short options and the long option each stands for. A short option takes an argument when
 * its long option requires one (a boolean's short form takes none).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { GNU_SHORT_OPTIONS } from "./gnu_options.ts";
 *
 * assert.equal(GNU_SHORT_OPTIONS.O, "output-document");
 * ```
 */
export const GNU_SHORT_OPTIONS: Readonly<Record<string, string>> = {
  A: "accept",
  E: "html-extension",
  a: "append-output",
  b: "background",
  K: "backup-converted",
  B: "base",
  c: "continue",
  k: "convert-links",
  d: "debug",
  P: "directory-prefix",
  D: "domains",
  X: "exclude-directories",
  e: "execute",
  x: "force-directories",
  F: "force-html",
  h: "help",
  I: "include-directories",
  "4": "inet4-only",
  "6": "inet6-only",
  i: "input-file",
  l: "level",
  m: "mirror",
  n: "no",
  O: "output-document",
  o: "output-file",
  p: "page-requisites",
  Y: "proxy__compat",
  q: "quiet",
  Q: "quota",
  r: "recursive",
  R: "reject",
  L: "relative",
  S: "server-response",
  H: "span-hosts",
  T: "timeout",
  N: "timestamping",
  t: "tries",
  U: "user-agent",
  v: "verbose",
  V: "version",
  w: "wait",
};
