/** "Did you mean …?": the known names closest to a mistyped one. */

/** The edit distance between two strings (insertions, deletions, substitutions, transpositions). */
export function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  const d = new Array<number>((a.length + 1) * width).fill(0);
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(
        d[(i - 1) * width + j] + 1,
        d[i * width + j - 1] + 1,
        d[(i - 1) * width + j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, d[(i - 2) * width + j - 2] + 1);
      }
      d[i * width + j] = v;
    }
  }
  return d[a.length * width + b.length];
}

/** Up to `limit` names close to `wanted`, closest first (case-insensitive; substrings count as close). */
export function closestNames(wanted: string, names: readonly string[], limit = 3): string[] {
  const w = wanted.toLowerCase();
  const scored: Array<[string, number]> = [];
  for (const name of names) {
    const n = name.toLowerCase();
    const distance = editDistance(w, n);
    const near = distance <= Math.max(2, Math.floor(Math.max(w.length, n.length) / 3));
    const contains = w.length >= 3 && (n.includes(w) || w.includes(n));
    if (near || contains) scored.push([name, contains ? Math.min(distance, 1) : distance]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map(([name]) => name);
}

/** "Did you mean 'a' or 'b'?", or an empty string when nothing is close. */
export function didYouMean(wanted: string, names: readonly string[]): string {
  const close = closestNames(wanted, names);
  if (close.length === 0) return '';
  const quoted = close.map((n) => `'${n}'`);
  const last = quoted.pop() as string;
  return ` Did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
