/** `decodeURIComponent`, but text that is not valid percent-encoding comes back as it is. */
export function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
