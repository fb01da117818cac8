/** How the demo speaks: numbered scenes, indented facts, plain text that reads well in a terminal or a CI log. */

let scene = 0;
/** Lines are collected here instead of printed when quiet (the e2e test reads them). */
let captured: string[] | null = null;

/** Collects the narration instead of printing it; returns the lines collected so far. */
export function captureNarration(): string[] {
  captured = [];
  scene = 0;
  return captured;
}

function print(line: string): void {
  if (captured) captured.push(line);
  else console.log(line);
}

export function heading(title: string): void {
  scene += 1;
  print(`\n${scene}. ${title}`);
}

export function say(line: string): void {
  print(`   ${line}`);
}

export function detail(line: string): void {
  print(`     - ${line}`);
}

/** A short preview of a context's text. */
export function preview(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const pct = (value: number | null | undefined) => (value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(0)}%`);
