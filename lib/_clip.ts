/** Shortens hostile input and masks its control characters before it is quoted in a message. */
export function clip(text: string, max = 60): string {
  // deno-lint-ignore no-control-regex
  const printable = text.replace(/[\x00-\x1f\x7f]/g, "?");
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
