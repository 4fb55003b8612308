// How a message quotes a string that came from outside (a caller's value, a node's answer):
// short enough that nobody echoes a megabyte back, with a mark where it was cut.

/** At most `max` characters, cut with "…". */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The same on one line: runs of whitespace become one space. */
export function oneLine(text: string, max: number): string {
  return clip(text.replace(/\s+/g, ' '), max);
}
