import assert, { deepEqual as assertEquals } from "node:assert/strict";
import { runWget } from "../../../cmd/_wget/command.ts";
import { tempDir } from "../../harness/peers.ts";
import { captureConsole } from "../../harness/run.ts";

Deno.test("runWget() answers bad option values with exit 2 before any network", async () => {
  const table: Record<string, string | string[]>[] = [
    { header: ["no colon"] },
    { header: [": empty name"] },
    { timeout: "-1" },
    { timeout: "soon" },
    { tries: "-1" },
    { "max-redirect": "99999999999" },
    { waitretry: "" },
  ];
  for (const values of table) {
    const { result, stdout, stderr } = await captureConsole(() =>
      runWget(values, ["http://127.0.0.1:1/"])
    );
    assertEquals([result, stdout], [2, ""], JSON.stringify(values));
    assert(stderr.startsWith("wget: "), stderr);
  }
});

Deno.test("runWget() without a URL exits 1 (GNU wget's code); an empty -i list is no error, as GNU's", async () => {
  await using dir = await tempDir();
  const { result, stderr } = await captureConsole(() => runWget({}, []));
  assertEquals(result, 1);
  assertEquals(stderr.split("\n")[0], "wget: missing URL");
  const list = `${dir.path}/urls.txt`;
  await Deno.writeTextFile(list, "\n   \n");
  // "No URLs found in FILE." goes through the reporter (compared with GNU's in wget_gnu_everyday_test).
  const empty = await captureConsole(() => runWget({ "input-file": list, quiet: true }, []));
  assertEquals(empty.result, 0);
  // A `#` line is a URL GNU's url_parse refuses (`http://# ...`: Invalid host name): exit 1.
  await Deno.writeTextFile(list, "# only a comment\n\n   \n");
  const refused = await captureConsole(() => runWget({ "input-file": list, quiet: true }, []));
  assertEquals(refused.result, 1);
});

Deno.test("runWget() takes an -i list it cannot read for one naming no URL, as GNU wget; a CA file is read only for HTTPS", async () => {
  await using dir = await tempDir();
  const list = await captureConsole(() =>
    runWget({ "input-file": `${dir.path}/none` }, ["http://127.0.0.1:1/"])
  );
  // The URL given is fetched all the same (refused: exit 4), then the list is said missing (GNU's
  // lines, compared in tests/cmd/wget_gnu_everyday_test.ts).
  assertEquals(list.result, 4);
  // Over plain HTTP the CA file is never opened: the refused connection is the run's end (exit 4).
  const ca = await captureConsole(() =>
    runWget({ "ca-certificate": `${dir.path}/none` }, ["http://127.0.0.1:1/"])
  );
  assertEquals(ca.result, 4, ca.stderr);
  assertEquals(ca.stderr.includes("Failed to open cert"), false, ca.stderr);
});
