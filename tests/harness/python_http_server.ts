/**
 * Python's `http.server` on loopback for the wget tests: `python3 -m http.server` serving a
 * directory on a free port of 127.0.0.1, its log (stderr) in a file. An HTTP/1.0 server that
 * closes each connection without saying so (no `Connection: close`), lists a directory without
 * `Last-Modified`, ignores `Range` and answers `If-Modified-Since` with a 304.
 *
 * @module
 */

import { startPeerOnFreePort } from "./peers.ts";

/** A running http.server. */
export interface PythonHttpServer extends AsyncDisposable {
  /** The port on 127.0.0.1. */
  port: number;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  /** Its log: `... "REQUEST LINE" STATUS -` a line (and lines about errors). */
  log: string;
}

/** Starts `python3 -m http.server` serving `root`, its log in `dir`. */
export async function startPythonHttpServer(
  dir: string,
  root: string,
): Promise<PythonHttpServer> {
  const log = `${dir}/python-http-server.log`;
  const peer = await startPeerOnFreePort((port) => [
    "sh",
    "-c",
    // exec: the shell becomes Python, the process startPeer watches listen on the port.
    'exec python3 -m http.server --bind 127.0.0.1 --directory "$1" "$2" 2>>"$3"',
    "sh",
    root,
    `${port}`,
    log,
  ]);
  const { port } = peer;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    log,
    [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose](),
  };
}
