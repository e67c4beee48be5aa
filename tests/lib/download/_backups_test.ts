import assert from "node:assert/strict";
import { rotateBackups } from "../../../lib/download/_backups.ts";
import { tempDir } from "../../harness/peers.ts";

Deno.test("rotateBackups() moves NAME to NAME.1 and the copies along, the oldest dropped", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/page.html`;
  const read = async () => {
    const names = [];
    for await (const entry of Deno.readDir(dir.path)) names.push(entry.name);
    const files: Record<string, string> = {};
    for (const name of names.sort()) files[name] = await Deno.readTextFile(`${dir.path}/${name}`);
    return files;
  };
  rotateBackups(path, 2); // No file: nothing to do.
  assert.deepEqual(await read(), {});
  for (const version of ["one", "two", "three"]) {
    rotateBackups(path, 2);
    await Deno.writeTextFile(path, version);
  }
  assert.deepEqual(await read(), {
    "page.html": "three",
    "page.html.1": "two",
    "page.html.2": "one",
  });
  // A directory at the name is left alone.
  await Deno.mkdir(`${dir.path}/d`);
  rotateBackups(`${dir.path}/d`, 1);
  assert.ok((await Deno.stat(`${dir.path}/d`)).isDirectory);
});
