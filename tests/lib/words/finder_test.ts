import assert from "node:assert/strict";
import { PoolClosedError } from "../../../lib/async/pool_closed_error.ts";
import { createWordFinder } from "../../../lib/words/finder.ts";
import { loadWordIndex } from "../../../lib/words/dictionary.ts";
import { tempDir } from "../../harness/peers.ts";
import { groupGone } from "../../harness/process_group.ts";

const SCRIPT = new URL("../../../cmd/scrabble-word-finder.ts", import.meta.url).pathname;
const RACKS = ["lexical", "qu?ck", "aeinrst", "zzz", "??"];

Deno.test("createWordFinder() worker and subprocess modes agree with the index", async () => {
  const index = await loadWordIndex();
  await using workers = await createWordFinder({ kind: "worker", workers: 2 });
  await using children = await createWordFinder({
    kind: "subprocess",
    command: [Deno.execPath(), "run", "-A", "--quiet", SCRIPT],
  });
  for (const rack of RACKS) {
    const expected = index.find(rack);
    assert.deepEqual(await workers.find(rack), expected, `worker ${rack}`);
    assert.deepEqual(await children.find(rack), expected, `subprocess ${rack}`);
  }
});

Deno.test("createWordFinder() subprocess mode reports a failing program", async () => {
  await using finder = await createWordFinder({ kind: "subprocess", command: ["false"] });
  await assert.rejects(finder.find("abc"), /exited with 1/);
  await finder.close();
  await assert.rejects(finder.find("abc"), /closed/);
});

Deno.test("createWordFinder() subprocess mode survives a chatty program and quotes its stderr", async () => {
  const script = 'yes chatter | head -c 1048576 >&2; echo "no words for $1" >&2; exit 3';
  await using finder = await createWordFinder({
    kind: "subprocess",
    command: ["sh", "-c", script, "finder"],
  });
  await assert.rejects(finder.find("abc"), /exited with 3: no words for abc$/);
});

Deno.test("createWordFinder() subprocess mode stops the child when the caller aborts", async () => {
  await using finder = await createWordFinder({
    kind: "subprocess",
    command: ["sh", "-c", "exec sleep 30", "finder"],
  });
  const controller = new AbortController();
  const reason = new Error("client went away");
  const finding = finder.find("abc", { signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(finding, (error) => error === reason);
  await finder.close();
  await assert.rejects(finder.find("abc"), PoolClosedError);
});

Deno.test("createWordFinder() subprocess mode needs a command", async () => {
  await assert.rejects(createWordFinder({ kind: "subprocess" }), TypeError);
});

Deno.test("createWordFinder() worker mode reads --dict and reports one it cannot read", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(`${dir.path}/words`, "tac\ncat\nact\n");
  await using finder = await createWordFinder({
    kind: "worker",
    workers: 1,
    dict: `${dir.path}/words`,
  });
  assert.deepEqual(await finder.find("act"), ["act", "cat", "tac"]);
  await assert.rejects(
    createWordFinder({ kind: "worker", dict: `${dir.path}/missing` }),
    /No such file/,
  );
});

Deno.test({
  name:
    "createWordFinder() subprocess mode kills the finder's whole process group at the time limit",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using dir = await tempDir();
    const pidFile = `${dir.path}/pid`;
    // A finder that starts a child of its own (a background sleep) and then hangs.
    const script = `echo $$ > ${pidFile}; sleep 300 & sleep 301; echo late`;
    await using finder = await createWordFinder({
      kind: "subprocess",
      command: ["sh", "-c", script, "finder"],
      timeoutMs: 300,
    });
    await assert.rejects(finder.find("abc"), /took longer than 0\.3 s and was killed/);
    const pgid = Number(await Deno.readTextFile(pidFile));
    assert.deepEqual(await groupGone(pgid), [], "no process of the finder's group is left");
  },
});
