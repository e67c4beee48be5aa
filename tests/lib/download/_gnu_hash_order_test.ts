import assert from "node:assert/strict";
import { gnuHashOrder } from "../../../lib/download/_gnu_hash_order.ts";

Deno.test("gnuHashOrder() reads GNU wget's 13-cell table cell by cell, probing on", () => {
  // "a" is 97, 97 % 13 = 6; "n" (110) goes to 6 too, so "a" after it goes to 7; "z" (122) to 5.
  assert.deepEqual(gnuHashOrder(["a", "b", "c"]), ["a", "b", "c"]);
  assert.deepEqual(gnuHashOrder(["n", "a", "z"]), ["z", "n", "a"]);
  assert.deepEqual(gnuHashOrder(["a", "n", "a"]), ["a", "n"]);
  assert.deepEqual(gnuHashOrder([]), []);
});

Deno.test("gnuHashOrder() grows the table to 29 cells at the tenth key, as GNU wget", () => {
  const nine = [..."abcdefghi"];
  // 13 cells: "h" (104) is at 0 and "i" at 1, before "a" at 6.
  assert.deepEqual(gnuHashOrder(nine), [..."hiabcdefg"]);
  // 29 cells: 97 % 29 = 10, and every key in a row from there.
  assert.deepEqual(gnuHashOrder([...nine, "j"]), [..."abcdefghij"]);
});

Deno.test("gnuHashOrder() hashes a name's bytes as GNU's signed chars, 32 bits", () => {
  const names = [
    "127.0.0.1:8080/book/index.html",
    "127.0.0.1:8080/book/toc.html",
    "caf\u00e9.html",
  ];
  assert.deepEqual([...gnuHashOrder(names)].sort(), [...names].sort());
  // The order GNU wget 1.21 logged for these pages of the Rust book (-r -np -l 1 -k -p).
  const book = [
    "127.0.0.1:18715/book/index.html",
    "127.0.0.1:18715/book/toc.html",
    "127.0.0.1:18715/book/print.html",
    "127.0.0.1:18715/book/ch01-01-installation.html",
    "127.0.0.1:18715/book/appendix-05-editions.html",
    "127.0.0.1:18715/book/appendix-06-translation.html",
    "127.0.0.1:18715/book/foreword.html",
  ];
  assert.deepEqual(gnuHashOrder(book), [
    "127.0.0.1:18715/book/appendix-06-translation.html",
    "127.0.0.1:18715/book/foreword.html",
    "127.0.0.1:18715/book/toc.html",
    "127.0.0.1:18715/book/appendix-05-editions.html",
    "127.0.0.1:18715/book/print.html",
    "127.0.0.1:18715/book/index.html",
    "127.0.0.1:18715/book/ch01-01-installation.html",
  ]);
});
