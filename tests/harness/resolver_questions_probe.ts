/**
 * The inside of one run of the random test of the questions name servers see
 * (tests/cmd/resolve-hostname_questions_random_test.ts): run in the mount namespace that holds the
 * configuration's files (and with its environment), it reads one JSON request a line on stdin —
 * `{"getent": [DATABASE, KEY]}` or `{"netkit": ARGS, "family": 4 | 6}` — runs it (getent as a
 * process of its own, netkit's `resolverMain()` in this process, so that a configuration costs
 * one Deno start-up), and answers with one JSON line, `{"code", "stdout"}`, once the program is
 * done. The test empties the scripted servers' logs before each request and reads them after the
 * answer, so that each log holds one program's questions.
 *
 * Usage: `deno run -A tests/harness/resolver_questions_probe.ts` (requests on stdin).
 *
 * @module
 */

import { getent, netkit } from "./resolver_fuzz_probe.ts";

/** One request to the probe. */
export type QuestionsProbeRequest =
  | { getent: [database: string, key: string] }
  | { netkit: string[]; family: 4 | 6 };

/** The probe's answer to one request: the exit code and what went to stdout. */
export interface QuestionsProbeAnswer {
  code: number;
  stdout: string;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function run(request: QuestionsProbeRequest): Promise<QuestionsProbeAnswer> {
  return "getent" in request
    ? getent(...request.getent)
    : netkit([...request.netkit], request.family);
}

if (import.meta.main) {
  let buffered = "";
  for await (const chunk of Deno.stdin.readable) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim() === "") continue;
      const answer = await run(JSON.parse(line) as QuestionsProbeRequest);
      const bytes = encoder.encode(JSON.stringify(answer) + "\n");
      let written = 0;
      while (written < bytes.length) written += await Deno.stdout.write(bytes.subarray(written));
    }
  }
}
