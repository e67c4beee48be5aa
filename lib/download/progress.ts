/**
 * Progress text for downloads: byte counts with binary units, a bar with percent, rate and ETA
 * when the size is known, bytes and rate when it is not. Pure functions; the command prints.
 *
 * @module
 */

/** What a progress line shows. */
export interface ProgressState {
  /** Bytes received so far, including any resumed part. */
  received: number;
  /** The full size, when known. */
  total?: number | undefined;
  /** Bytes received in this run (for the rate). */
  fetched: number;
  /** Milliseconds since this run's body started. */
  elapsedMs: number;
}

/**
 * Formats a byte count the way GNU wget does: `512`, `1.5K`, `20M`, `1.0G`. As GNU's
 * `human_readable`, the count is divided by 1024 in whole numbers down to the last unit, and a
 * tie is rounded to even as C's `printf` rounds it (1280 bytes, 1.25K, is `1.2K`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatBytes } from "@netkit/netkit/download";
 *
 * assert.equal(formatBytes(512), "512");
 * assert.equal(formatBytes(1536), "1.5K");
 * assert.equal(formatBytes(1280), "1.2K");
 * assert.equal(formatBytes(200 * 1024 * 1024), "200M");
 * ```
 */
export function formatBytes(bytes: number): string {
  const units = ["K", "M", "G", "T", "P", "E"];
  if (bytes < 1024) return String(bytes);
  let whole = Math.floor(bytes);
  for (const [i, unit] of units.entries()) {
    if (whole / 1024 < 1024 || i === units.length - 1) {
      // (A whole number over 1024: exact in binary, so a tie is seen as one.)
      const value = whole / 1024;
      return `${printfFixed(value, value < 10 ? 1 : 0)}${unit}`;
    }
    whole = Math.floor(whole / 1024);
  }
  return String(bytes);
}

/** `value` with `digits` decimals as C's `printf("%.*f")` gives it: a tie goes to the even. */
function printfFixed(value: number, digits: number): string {
  const scale = 10 ** digits;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  if (scaled - floor === 0.5) {
    return ((floor % 2 === 0 ? floor : floor + 1) / scale).toFixed(digits);
  }
  return value.toFixed(digits);
}

/**
 * One progress line: `name  45%[=====>     ]  12.3M  45.6MB/s  eta 2s`, or without percent, bar
 * and ETA when the size is unknown; fitted to `columns`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatProgressLine } from "@netkit/netkit/download";
 *
 * const progress = { received: 512, total: 1024, fetched: 512, elapsedMs: 1000 };
 * const line = formatProgressLine("f.bin", progress, 60);
 * assert.ok(line.startsWith("f.bin "));
 * assert.ok(line.includes(" 50%"));
 * assert.ok(line.length <= 60);
 * ```
 */
export function formatProgressLine(name: string, state: ProgressState, columns = 80): string {
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? state.fetched / seconds : 0;
  const rateText = `${formatBytes(Math.round(rate))}B/s`;
  const bytesText = formatBytes(state.received);
  const label = name.length > 20 ? `${name.slice(0, 19)}\u2026` : name;
  if (state.total === undefined || state.total <= 0) {
    return `${label.padEnd(20)}  ${bytesText.padStart(6)}  ${rateText.padStart(9)}`.slice(
      0,
      columns,
    );
  }
  const fraction = Math.min(1, state.received / state.total);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const remaining = rate > 0 ? (state.total - state.received) / rate : Infinity;
  const eta = state.received >= state.total
    ? "in " + formatDuration(seconds)
    : "eta " + formatDuration(remaining);
  const tail = `  ${bytesText.padStart(6)}  ${rateText.padStart(9)}  ${eta.padEnd(9)}`;
  const barWidth = Math.max(0, columns - 20 - percent.length - tail.length - 3);
  let bar = "";
  if (barWidth >= 5) {
    const filled = Math.floor(fraction * barWidth);
    bar = "[" + "=".repeat(Math.max(0, filled - 1)) +
      (filled > 0 ? (fraction >= 1 ? "=" : ">") : "") +
      " ".repeat(barWidth - filled) + "]";
  }
  return `${label.padEnd(20)}${percent}${bar}${tail}`.slice(0, columns);
}

/**
 * Formats seconds as `5s`, `3m20s`, `2h05m`; `--` for unknown.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatDuration } from "@netkit/netkit/download";
 *
 * assert.equal(formatDuration(200), "3m20s");
 * assert.equal(formatDuration(Infinity), "--");
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "--";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
