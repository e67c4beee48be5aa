import assert, { deepEqual as assertEquals } from "node:assert/strict";
import { UsageError } from "../../../lib/cli/command_line.ts";
import { readLexicalSettings, startedByDenoServe } from "../../../cmd/_lexical_server/command.ts";

Deno.test("readLexicalSettings() maps the options, leaving defaults to the finder", () => {
  assertEquals(readLexicalSettings({}), {
    finder: "worker",
    workers: undefined,
    cacheSize: undefined,
    dict: undefined,
    finderCommand: undefined,
    maxMissesPerClient: undefined,
    maxAnswerBytes: undefined,
  });
  assertEquals(
    readLexicalSettings({
      finder: "subprocess",
      workers: "3",
      "cache-size": "0",
      dict: "words.txt",
      "finder-command": "/bin/swf",
      "max-misses-per-client": "2",
      "max-answer-bytes": "4096",
    }),
    {
      finder: "subprocess",
      workers: 3,
      cacheSize: 0,
      dict: "words.txt",
      finderCommand: "/bin/swf",
      maxMissesPerClient: 2,
      maxAnswerBytes: 4096,
    },
  );
});

Deno.test("readLexicalSettings() rejects bad values as usage errors", () => {
  const table: Record<string, string>[] = [
    { finder: "thread" },
    { finder: "" },
    { workers: "0" },
    { workers: "257" },
    { workers: "1.5" },
    { workers: " 2" },
    { "cache-size": "-1" },
    { "cache-size": "1e3" },
    { "max-answer-bytes": "1023" },
    { "max-answer-bytes": "big" },
  ];
  for (const values of table) {
    assert.throws(() => readLexicalSettings(values), UsageError, JSON.stringify(values));
  }
});

Deno.test("startedByDenoServe() is false under deno test", () => {
  assertEquals(startedByDenoServe(), false);
});
