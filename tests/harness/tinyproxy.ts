/**
 * tinyproxy on a free loopback port for the wget tests: plain HTTP proxying and `CONNECT`
 * tunnels, with Basic proxy authentication when asked for, and its log in a file when asked for.
 *
 * @module
 */

import { startPeerOnFreePort } from "./peers.ts";

/** A running tinyproxy. */
export interface Tinyproxy extends AsyncDisposable {
  /** `http://127.0.0.1:PORT`. */
  url: string;
}

/**
 * Starts tinyproxy on a free loopback port (its config and pid file in `dir`), with Basic auth
 * when `auth` (`"user password"`) is given, logging at level Info to `log` when given.
 */
export async function startTinyproxy(
  dir: string,
  auth?: string,
  log?: string,
): Promise<Tinyproxy> {
  // Started again on another port if the one found free was taken before tinyproxy bound it.
  const peer = await startPeerOnFreePort(async (port) => {
    const config = `${dir}/tinyproxy-${port}.conf`;
    await Deno.writeTextFile(
      config,
      [
        `Port ${port}`,
        "Listen 127.0.0.1",
        "Timeout 30",
        "MaxClients 20",
        "Allow 127.0.0.1",
        ...(log ? ["LogLevel Info", `LogFile "${log}"`] : ["LogLevel Critical"]),
        `PidFile "${dir}/tinyproxy-${port}.pid"`,
        ...(auth ? [`BasicAuth ${auth}`] : []),
      ].join("\n") + "\n",
    );
    return ["tinyproxy", "-d", "-c", config];
  });
  const { port } = peer;
  return {
    url: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () => peer[Symbol.asyncDispose](),
  };
}
