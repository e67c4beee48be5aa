/**
 * A real lighttpd on loopback for the wget tests: in the foreground (`-D`), its config, pid file
 * and logs in a directory of the test's, a free port on 127.0.0.1, serving a directory with
 * mod_dirlisting's listings as Debian's `10-dir-listing.conf` sets them (UTF-8, so
 * `text/html;charset=utf-8`).
 *
 * @module
 */

import { startPeerOnFreePort } from "./peers.ts";

/** A running lighttpd. */
export interface Lighttpd extends AsyncDisposable {
  /** The port on 127.0.0.1. */
  port: number;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /**
   * The access log: `"REQUEST LINE" STATUS` a line, held back in lighttpd's buffer until
   * {@linkcode Lighttpd.flushLog} (read it with `requestsLoggedSince`, tests/harness/access_log.ts).
   */
  log: string;
  /** Makes lighttpd write out its log's buffer now (a SIGHUP: it reopens its logs). */
  flushLog(): void;
}

/** Options of {@linkcode startLighttpd}. */
export interface LighttpdOptions {
  /**
   * The listings' stylesheet as a link to this path (`dir-listing.external-css`) instead of
   * lighttpd's `<style>` inside each page.
   */
  externalCss?: string;
  /** More settings at the config's end (`server.max-keep-alive-requests = 3`). */
  config?: string;
}

/**
 * Starts lighttpd serving `root` with listings (`dir-listing.activate`), `index.html` in place
 * of a directory's listing, everything else in `dir`. Its stat cache is off: a test that changes
 * a file between two runs gets the file as it is now.
 */
export async function startLighttpd(
  dir: string,
  root: string,
  options: LighttpdOptions = {},
): Promise<Lighttpd> {
  const log = `${dir}/lighttpd-access.log`;
  const peer = await startPeerOnFreePort(async (port) => {
    const config = `${dir}/lighttpd-${port}.conf`;
    await Deno.writeTextFile(
      config,
      `server.document-root = "${root}"
server.bind = "127.0.0.1"
server.port = ${port}
server.pid-file = "${dir}/lighttpd-${port}.pid"
server.errorlog = "${dir}/lighttpd-error.log"
server.modules = ( "mod_dirlisting", "mod_accesslog" )
server.stat-cache-engine = "disable"
accesslog.filename = "${log}"
accesslog.format = "\\"%r\\" %>s"
index-file.names = ( "index.html" )
dir-listing.activate = "enable"
dir-listing.encoding = "utf-8"
${options.externalCss ? `dir-listing.external-css = "${options.externalCss}"` : ""}
mimetype.assign = (
  ".html" => "text/html", ".css" => "text/css", ".txt" => "text/plain",
  ".iso" => "application/x-iso9660-image", "" => "application/octet-stream"
)
${options.config ?? ""}
`,
    );
    return ["lighttpd", "-D", "-f", config];
  });
  const { port } = peer;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    log,
    flushLog: () => peer.child.kill("SIGHUP"),
    [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose](),
  };
}
