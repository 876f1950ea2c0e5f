// Long values in a diff (a subgraph's text, a long list) keep their start and end; the middle is elided, so
// old → new stays readable and the list stays light.

export function shortValue(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}\u2026${text.slice(text.length - half)}`;
}
