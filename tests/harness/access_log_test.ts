import assert from "node:assert/strict";
import { logLength, requestsLoggedSince } from "./access_log.ts";

/**
 * A server that logs as Apache does: for the marker request, its own line at once and, 100 ms
 * later, the line of a request that began before it (written by another worker once its answer
 * had left); `began` says whether lines start with the time their request began.
 */
async function withLateLine(
  began: boolean,
  check: (requests: string[]) => void,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "netkit_access_log_" });
  const log = `${dir}/access.log`;
  const stamp = (at: number) => (began ? `${at} ` : "");
  await Deno.writeTextFile(log, `${stamp(1_000)}"GET /before HTTP/1.1" 200\n`);
  const from = await logLength(log);
  await Deno.writeTextFile(log, `${stamp(2_000)}"GET /first HTTP/1.1" 200\n`, { append: true });
  let lateWritten!: Promise<void>;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const target = new URL(request.url).pathname;
    await Deno.writeTextFile(log, `${stamp(4_000)}"GET ${target} HTTP/1.0" 404\n`, {
      append: true,
    });
    lateWritten = new Promise<void>((resolve) => setTimeout(resolve, 100)).then(() =>
      Deno.writeTextFile(log, `${stamp(3_000)}"GET /last HTTP/1.1" 200\n`, { append: true })
    );
    return new Response("not found", { status: 404 });
  });
  try {
    check(await requestsLoggedSince({ port: server.addr.port, log }, from));
  } finally {
    await lateWritten;
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("access_log: a line that follows the marker's, of a request that began before it, is read (Apache)", async () => {
  await withLateLine(true, (requests) => {
    assert.deepEqual(requests, ["GET /first 200", "GET /last 200"]);
  });
});

Deno.test("access_log: without the times requests began, the lines before the marker's", async () => {
  await withLateLine(false, (requests) => {
    assert.deepEqual(requests, ["GET /first 200"]);
  });
});
