import { deepEqual, equal } from "node:assert/strict";
import { main } from "../../cmd/wget.ts";
import { tempDir } from "../harness/peers.ts";
import { send, startRawServer } from "../harness/raw_http_server.ts";

async function listDir(path: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(path)) names.push(entry.name);
  return names.sort();
}

/** A target directory inside a parent, with a file the user already has. */
async function guardedDir(outer: string): Promise<string> {
  const dir = `${outer}/inner/target`;
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/keep.txt`, "keep me");
  return dir;
}

async function assertNothingEscaped(outer: string, dir: string): Promise<void> {
  deepEqual(await listDir(outer), ["inner"]);
  deepEqual(await listDir(`${outer}/inner`), ["target"]);
  equal(await Deno.readTextFile(`${dir}/keep.txt`), "keep me");
}

Deno.test("wget exits 7 on chunk sizes that overflow, keeping what came before", async () => {
  const chunked = (sizeLine: string) => async (conn: Deno.TcpConn) => {
    await send(
      conn,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n${sizeLine}\r\nxyz\r\n0\r\n\r\n`,
    );
  };
  await using server = startRawServer({
    "/twenty-f": chunked("FFFFFFFFFFFFFFFFFFFF"),
    "/sixteen-f": chunked("FFFFFFFFFFFFFFFF"),
    "/two-pow-53": chunked("20000000000000"),
    "/zeros-then-f": chunked("0".repeat(5000) + "F".repeat(20)),
    "/negative": chunked("-1"),
  });
  await using outer = await tempDir();
  const dir = await guardedDir(outer.path);
  for (const path of ["/twenty-f", "/sixteen-f", "/two-pow-53", "/zeros-then-f", "/negative"]) {
    equal(await main(["-q", "-t", "1", "-P", dir, `${server.base}${path}`]), 7, path);
    equal(await Deno.readTextFile(`${dir}${path}`), "abc", path);
  }
  await assertNothingEscaped(outer.path, dir);
});

Deno.test("wget saves a gzip body as sent, without decompressing it", async () => {
  const text = "netkit ".repeat(100_000);
  const gzipped = new Uint8Array(
    await new Response(
      new Blob([text]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  // A 700 KB "bomb" of zeros compressed to a few hundred bytes, and bytes that only claim gzip.
  const bomb = new Uint8Array(
    await new Response(
      new Blob([new Uint8Array(700_000)]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  const garbage = new TextEncoder().encode("\x1f\x8b not really gzip");
  const serve = (body: Uint8Array) => async (conn: Deno.TcpConn) => {
    await send(
      conn,
      `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await send(conn, body);
  };
  await using server = startRawServer({
    "/text.gz": serve(gzipped),
    "/bomb": serve(bomb),
    "/garbage": serve(garbage),
  });
  await using outer = await tempDir();
  const dir = await guardedDir(outer.path);
  for (
    const [path, body] of [["/text.gz", gzipped], ["/bomb", bomb], ["/garbage", garbage]] as const
  ) {
    equal(await main(["-q", "-P", dir, `${server.base}${path}`]), 0, path);
    deepEqual(await Deno.readFile(`${dir}${path}`), body, path);
  }
  await assertNothingEscaped(outer.path, dir);
});

Deno.test("wget turns hostile Content-Disposition names into safe ones inside -P", async () => {
  const cd = (value: string) => async (conn: Deno.TcpConn) => {
    await send(
      conn,
      `HTTP/1.1 200 OK\r\nContent-Disposition: ${value}\r\nContent-Length: 4\r\n\r\nevil`,
    );
  };
  const long = "x".repeat(300) + ".txt";
  await using server = startRawServer({
    "/dot": cd('attachment; filename="."'),
    "/dotdot": cd("attachment; filename=.."),
    "/empty": cd('attachment; filename=""'),
    "/bare": cd("attachment; filename="),
    "/long": cd(`attachment; filename="${long}"`),
    "/longstar": cd(`attachment; filename*=UTF-8''${"%C3%A9".repeat(200)}`),
    "/nul": cd("attachment; filename*=UTF-8''a%00b%0Ac%1Bd.txt"),
    "/keep": cd('attachment; filename="keep.txt"'),
    "/slashes": cd('attachment; filename="a/b/../../../../keep.txt"'),
    [`/${"%C3%BC".repeat(300)}`]: cd("inline"),
  });
  await using outer = await tempDir();
  const dir = await guardedDir(outer.path);
  for (
    const path of [
      "/dot",
      "/dotdot",
      "/empty",
      "/bare",
      "/long",
      "/longstar",
      "/nul",
      "/keep",
      "/slashes",
      `/${"%C3%BC".repeat(300)}`,
    ]
  ) {
    equal(await main(["-q", "--content-disposition", "-P", dir, `${server.base}${path}`]), 0, path);
  }
  await assertNothingEscaped(outer.path, dir);
  const names = await listDir(dir);
  // "." / ".." / "" fall back to the URL's name; long names are cut to 236 UTF-8 bytes; control
  // characters are escaped; "keep.txt" exists, so the copies become keep.txt.1 and keep.txt.2.
  deepEqual(names, [
    "a%00b%0Ac%1Bd.txt",
    "bare",
    "dot",
    "dotdot",
    "empty",
    "keep.txt",
    "keep.txt.1",
    "keep.txt.2",
    "x".repeat(236),
    "é".repeat(118),
    "ü".repeat(118),
  ]);
  for (const name of names.filter((name) => name !== "keep.txt")) {
    equal(await Deno.readTextFile(`${dir}/${name}`), "evil", name);
  }
});

Deno.test("wget refuses a redirect to file: or ftp: with exit 1 and writes nothing", async () => {
  const to = (location: string) => async (conn: Deno.TcpConn) => {
    await send(conn, `HTTP/1.1 302 Found\r\nLocation: ${location}\r\nContent-Length: 0\r\n\r\n`);
  };
  await using server = startRawServer({
    "/file": to("file:///etc/passwd"),
    "/ftp": to("ftp://127.0.0.1/x"),
    "/js": to("javascript:alert(1)"),
    "/data": to("data:text/plain,hi"),
  });
  await using outer = await tempDir();
  const dir = await guardedDir(outer.path);
  for (const path of ["/file", "/ftp", "/js", "/data"]) {
    equal(await main(["-q", "-P", dir, `${server.base}${path}`]), 1, path);
  }
  await assertNothingEscaped(outer.path, dir);
  deepEqual(await listDir(dir), ["keep.txt"]);
});

Deno.test("wget --compression=auto exits 7 on a gzip body that is not gzip, and on one cut short", async () => {
  const packed = new Uint8Array(
    await new Response(
      new Blob(["x".repeat(5000)]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  const reply = (body: Uint8Array) => async (conn: Deno.TcpConn) => {
    const head =
      `HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: ${body.length}\r\n\r\n`;
    await send(conn, new Uint8Array([...new TextEncoder().encode(head), ...body]));
  };
  await using server = startRawServer({
    "/garbage": reply(new TextEncoder().encode("this is not gzip at all")),
    "/cut": reply(packed.subarray(0, packed.length - 12)),
    "/good": reply(packed),
  });
  await using dir = await tempDir();
  for (const path of ["/garbage", "/cut"]) {
    equal(
      await main(["-q", "--compression=auto", "-P", dir.path, `${server.base}${path}`]),
      7,
      path,
    );
  }
  equal(await main(["-q", "--compression=auto", "-P", dir.path, `${server.base}/good`]), 0);
  equal(await Deno.readTextFile(`${dir.path}/good`), "x".repeat(5000));
  equal(await main(["-q", "--compression=br", `${server.base}/good`]), 2);
});
