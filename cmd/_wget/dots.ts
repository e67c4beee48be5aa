/**
 * GNU wget's dot progress, its default when stderr is not a terminal: one dot per KiB, ten to a
 * cluster, fifty to a line, each line ending with the percentage, the line's rate and the time
 * left; the last line padded to the same width and ending `100% RATE=TIME`.
 *
 * @module
 */

/** A dot style: bytes per dot, dots per cluster, dots per line. */
export interface DotStyle {
  dotBytes: number;
  perCluster: number;
  perLine: number;
}

/** GNU wget's styles, as `--progress=dot:NAME` names them. */
export const DOT_STYLES: Record<string, DotStyle> = {
  default: { dotBytes: 1024, perCluster: 10, perLine: 50 },
  binary: { dotBytes: 8192, perCluster: 16, perLine: 48 },
  mega: { dotBytes: 65536, perCluster: 8, perLine: 48 },
  giga: { dotBytes: 1048576, perCluster: 8, perLine: 32 },
};

/** GNU's short rate: `418M`, `1.04G`, `12.3K`, more digits for smaller numbers. */
export function shortRate(bytesPerSecond: number): string {
  let value = bytesPerSecond;
  // GNU's unit for bytes is a blank: `609 =0s`.
  let unit = " ";
  for (const next of ["K", "M", "G", "T"]) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  const digits = value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2;
  return `${value.toFixed(digits)}${unit}`;
}

/** GNU's short duration: `0s`, `4.2s`, `12s`, `3m 5s`, `2h 10m`. */
export function shortTime(seconds: number): string {
  if (seconds < 0.05) return "0s";
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 100) return `${whole}s`;
  if (whole < 6000) return `${Math.floor(whole / 60)}m ${whole % 60}s`;
  return `${Math.floor(whole / 3600)}h ${Math.floor(whole / 60) % 60}m`;
}

/**
 * Dot progress for one body, written through `write` as it goes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DOT_STYLES, DotProgress } from "./dots.ts";
 *
 * let text = "";
 * const dots = new DotProgress(DOT_STYLES.default!, 0, 3000, (t) => (text += t), () => 0);
 * dots.update(3000);
 * dots.finish(3000);
 * assert.match(text, /^     0K \.\. {9}/);
 * assert.match(text, / 100% [^ ]+=0s\n$/);
 * ```
 */
export class DotProgress {
  readonly #style: DotStyle;
  readonly #total: number | undefined;
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #started: number;
  #dots = 0;
  #inLine = 0;
  /** The current line's head is written, with no dot after it yet (a resumed line). */
  #headShown = false;
  #lineStarted: number;
  #lineBytes = 0;

  /** True while a line has dots and no end yet. */
  get open(): boolean {
    return this.#inLine > 0;
  }

  /**
   * @param style The style.
   * @param offset Bytes already there (resumed): shown as `,` in the first line.
   * @param total The whole size, when known (for percentages).
   * @param write Where the text goes.
   * @param now The clock in milliseconds (tests inject one).
   */
  constructor(
    style: DotStyle,
    offset: number,
    total: number | undefined,
    write: (text: string) => void,
    now: () => number = () => performance.now(),
  ) {
    this.#style = style;
    this.#total = total;
    this.#write = write;
    this.#now = now;
    this.#started = now();
    this.#lineStarted = this.#started;
    // A resumed download starts its first line at the line that holds the offset, the bytes
    // already there drawn as commas.
    const lineBytes = style.dotBytes * style.perLine;
    this.#dots = Math.floor(offset / lineBytes) * style.perLine;
    const skipped = Math.floor((offset % lineBytes) / style.dotBytes);
    if (offset > 0) {
      // GNU says the whole lines it skips, aligned with the dots, and opens the offset's line
      // at once, even with no comma on it.
      const skippedK = String(Math.floor(offset / lineBytes) * lineBytes / 1024);
      if (skippedK !== "0") {
        this.#write(`${" ".repeat(2 + Math.max(6, skippedK.length))}[ skipping ${skippedK}K ]\n`);
      }
      this.#write(this.#lineHead());
      this.#headShown = true;
    }
    for (let i = 0; i < skipped; i++) this.#put(",");
  }

  /** A line's head: where it starts, in KiB. */
  #lineHead(): string {
    return `${String((this.#dots * this.#style.dotBytes) / 1024).padStart(6)}K`;
  }

  #put(mark: string): void {
    const style = this.#style;
    let text = "";
    // (A resumed line's head written at the start stays alone on its line unless commas follow
    // it: GNU heads a line again at its first dot.)
    if (this.#inLine === 0 && !(this.#headShown && mark === ",")) {
      text += `${this.#headShown ? "\n" : ""}${this.#lineHead()}`;
    }
    this.#headShown = false;
    if (this.#inLine % style.perCluster === 0) text += " ";
    this.#write(text + mark);
    this.#dots++;
    this.#inLine++;
  }

  /** Draws the dots for `received` bytes in all (the offset included). */
  update(received: number): void {
    const style = this.#style;
    while ((this.#dots + 1) * style.dotBytes <= received) {
      this.#put(".");
      this.#lineBytes += style.dotBytes;
      if (this.#inLine === style.perLine) this.#endLine(this.#dots * style.dotBytes);
    }
  }

  /** Ends a full line; `position` is the byte the last dot stands for. */
  #endLine(position: number): void {
    const now = this.#now();
    const seconds = Math.max((now - this.#lineStarted) / 1000, 0.000_001);
    const rate = this.#lineBytes / seconds;
    let text = "";
    // GNU's "%3d%%" right after the dots, then the rate in five columns and the time left.
    if (this.#total) {
      text += `${String(Math.floor((position / this.#total) * 100)).padStart(3)}%`;
    }
    text += ` ${shortRate(rate).padStart(5)}`;
    if (this.#total) text += ` ${shortTime(Math.max(0, this.#total - position) / rate)}`;
    this.#write(`${text}\n`);
    this.#inLine = 0;
    this.#lineBytes = 0;
    this.#lineStarted = now;
  }

  /** Draws the last line: padded, the percentage, the rate and the whole time. */
  finish(received: number): void {
    this.update(received);
    const style = this.#style;
    // (Here too GNU heads the line again after a resumed line's lone head.)
    let text = this.#inLine === 0 ? `${this.#headShown ? "\n" : ""}${this.#lineHead()}` : "";
    for (let i = this.#inLine; i < style.perLine; i++) {
      if (i % style.perCluster === 0) text += " ";
      text += " ";
    }
    const now = this.#now();
    const lineSeconds = Math.max((now - this.#lineStarted) / 1000, 0.000_001);
    const lineBytes = this.#lineBytes + (received - this.#dots * style.dotBytes);
    const rate = lineBytes / lineSeconds;
    // GNU's "%3d%%" of what came: 100% when complete, less when the connection broke.
    if (this.#total) {
      text += `${String(Math.floor((received / this.#total) * 100)).padStart(3)}%`;
    }
    text += ` ${shortRate(rate).padStart(5)}=${shortTime((now - this.#started) / 1000)}`;
    this.#write(`${text}\n`);
  }
}
