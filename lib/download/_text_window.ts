/**
 * The part of a page's text still needed while the page is read a piece at a time: pieces are
 * appended at the end and let go from the front, and slices are taken by their places in the
 * whole text. Private to `lib/download/`.
 *
 * @module
 */

/**
 * A page's text from some place on, by places in the whole text. `length` is the whole text's
 * length so far, as a string's would be, so the window stands where a whole text does (see
 * `links.ts`'s scanner).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TextWindow } from "./_text_window.ts";
 *
 * const text = new TextWindow();
 * text.append("<a href=");
 * text.append('"b.html">');
 * assert.equal(text.slice(3, 16), 'href="b.html"');
 * text.release(9);
 * assert.equal(text.slice(9, 15), "b.html");
 * assert.equal(text.length, 17);
 * assert.throws(() => text.slice(3, 10), RangeError);
 * // Settled at 16: held until the next piece comes.
 * text.settle(16);
 * assert.equal(text.slice(9, 17), 'b.html">');
 * text.next("<p>");
 * assert.equal(text.slice(16), "><p>");
 * assert.throws(() => text.slice(9, 17), RangeError);
 * // A new text.
 * text.clear();
 * text.append("<b>");
 * assert.equal(text.slice(0), "<b>");
 * ```
 */
export class TextWindow {
  /** The pieces held, in order. */
  #pieces: string[] = [];
  /** Where the first piece starts in the whole text. */
  #piecesStart = 0;
  /** Where text is held from: slices before it are gone. */
  #heldFrom = 0;
  /** The whole text's length so far. */
  length = 0;
  /** Where the text before is done with: let go when the next piece comes (see `next`). */
  settled = 0;

  /** Adds the next piece of the text. */
  append(piece: string): void {
    if (piece === "") return;
    this.#pieces.push(piece);
    this.length += piece.length;
  }

  /** Lets the text before the settled place go, then adds `piece`. */
  next(piece: string): void {
    this.release(this.settled);
    this.append(piece);
  }

  /** Lets the whole text go: a new text starts at place 0. */
  clear(): void {
    this.#pieces = [];
    this.#piecesStart = 0;
    this.#heldFrom = 0;
    this.length = 0;
    this.settled = 0;
  }

  /** Moves the settled place on to `place` (never back). */
  settle(place: number): void {
    if (place > this.settled) this.settled = place;
  }

  /** Lets the text before `place` go (never what is held after it). */
  release(place: number): void {
    if (place <= this.#heldFrom) return;
    const heldFrom = this.#heldFrom = Math.min(place, this.length);
    const pieces = this.#pieces;
    let start = this.#piecesStart;
    let count = 0;
    while (count < pieces.length && start + pieces[count]!.length <= heldFrom) {
      start += pieces[count++]!.length;
    }
    if (count === 0) return;
    this.#piecesStart = start;
    // Let go at once: shift() moves the pieces left each time, n^2 steps for a tag or comment
    // held over many small pieces (65,000 pieces of one character: 5 s).
    if (count === 1) pieces.shift();
    else pieces.splice(0, count);
  }

  /**
   * The text from `start` to `end` (the end of the text when left out), as `String.slice` gives
   * it for places inside the text; "" when `end` is not after `start`.
   *
   * @throws {RangeError} when `start` is before the text still held.
   */
  slice(start: number, end = this.length): string {
    if (end > this.length) end = this.length;
    if (end <= start) return "";
    if (start < this.#heldFrom) {
      throw new RangeError(`text before ${this.#heldFrom} is released (${start} asked)`);
    }
    const pieces = this.#pieces;
    let at = this.#piecesStart;
    let i = 0;
    while (at + pieces[i]!.length <= start) at += pieces[i++]!.length;
    const first = pieces[i]!;
    if (end - at <= first.length) return first.slice(start - at, end - at);
    const parts = [first.slice(start - at)];
    at += first.length;
    for (i++; at < end; i++) {
      const piece = pieces[i]!;
      parts.push(end - at >= piece.length ? piece : piece.slice(0, end - at));
      at += piece.length;
    }
    return parts.join("");
  }
}
