import assert, { equal } from "node:assert/strict";
import { formatBytes, formatDuration, formatProgressLine } from "../../../lib/download/progress.ts";

Deno.test("formatBytes() uses binary units like GNU wget", () => {
  const cases: [number, string][] = [[0, "0"], [1023, "1023"], [1024, "1.0K"], [10 * 1024, "10K"], [
    1024 ** 3,
    "1.0G",
  ], [5 * 1024 ** 4, "5.0T"]];
  for (const [bytes, text] of cases) equal(formatBytes(bytes), text);
});

Deno.test("formatProgressLine() fits its width, with and without a known size", () => {
  for (const columns of [20, 40, 80, 200]) {
    const known = formatProgressLine("a-rather-long-file-name.tar.gz", {
      received: 300,
      total: 1000,
      fetched: 300,
      elapsedMs: 1500,
    }, columns);
    assert(known.length <= columns, `${columns}: ${known}`);
    const unknown = formatProgressLine(
      "x",
      { received: 5000, fetched: 5000, elapsedMs: 0 },
      columns,
    );
    assert(unknown.length <= columns && !unknown.includes("%"), unknown);
  }
  const line = formatProgressLine("f", {
    received: 1000,
    total: 1000,
    fetched: 1000,
    elapsedMs: 2000,
  }, 100);
  assert(line.includes("100%") && line.includes("in 2s"), line);
});

Deno.test("formatDuration() spells seconds, minutes and hours", () => {
  equal(formatDuration(0), "0s");
  equal(formatDuration(59.4), "59s");
  equal(formatDuration(3599), "59m59s");
  equal(formatDuration(7260), "2h01m");
  equal(formatDuration(NaN), "--");
});
