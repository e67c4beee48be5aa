/**
 * The contenders bench/lexical_server.ts and bench/http_io.ts put beside lexical-server, all
 * sending the same bytes: nginx serving the answer as a static file, and a bare `Deno.serve`
 * answering it pre-encoded from memory; and the server CPU time read from /proc.
 *
 * @module
 */

import { freePort, peerPath, type PeerProcess, startPeer } from "../tests/harness/peers.ts";
import { type DenoServer, startDenoServer } from "../tests/harness/deno_server.ts";

/** CPU seconds used so far by a process and its children (nginx's workers), from /proc. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = Deno.readTextFileSync(`/proc/${pid}/stat`).split(") ")[1]!.split(" ");
    let ticks = Number(fields[11]) + Number(fields[12]);
    for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
      const children = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/children`);
      for (const child of children.split(" ").filter(Boolean)) {
        ticks += cpuSeconds(Number(child)) * 100;
      }
    }
    return ticks / 100;
  } catch {
    return NaN;
  }
}

/**
 * nginx with `workers` workers serving the files under `root` (the answer at its path) with a
 * buffered access log; `extra` goes into its `http` block. `root` must be readable by nginx's
 * workers, which run as another user.
 */
export async function staticNginx(
  root: string,
  workers: string,
  extra = "",
): Promise<PeerProcess & { port: number; pid: number }> {
  const port = freePort();
  const name = `nginx_${workers}_${port}`;
  await Deno.writeTextFile(
    `${root}/${name}.conf`,
    `daemon off;
worker_processes ${workers};
pid ${root}/${name}.pid;
error_log ${root}/${name}.error.log;
events { worker_connections 1024; }
http {
  access_log ${root}/${name}.access.log combined buffer=64k flush=1s;
  keepalive_requests 1000000;
  ${extra}
  server {
    listen 127.0.0.1:${port};
    root ${root};
    default_type "application/json; charset=utf-8";
    location / { try_files $uri =404; }
  }
}
`,
  );
  const peer = await startPeer(
    [
      peerPath("nginx")!,
      "-c",
      `${root}/${name}.conf`,
      "-p",
      root,
      "-e",
      `${root}/${name}.error.log`,
    ],
    port,
  );
  return Object.assign(peer, { port, pid: peer.child.pid });
}

/** A bare `Deno.serve` answering `body` to every request, pre-encoded, from memory. */
export async function bareDenoServe(dir: string, body: string): Promise<DenoServer> {
  const script = `${dir}/bare.ts`;
  await Deno.writeTextFile(
    script,
    `const bytes = new TextEncoder().encode(${JSON.stringify(body)});
const headers = { "content-type": "application/json; charset=utf-8" };
Deno.serve({ port: Number(Deno.args[0]), hostname: "127.0.0.1", onListen() {} }, () => new Response(bytes, { headers }));
`,
  );
  return await startDenoServer((port) => ["run", "-A", script, String(port)]);
}
