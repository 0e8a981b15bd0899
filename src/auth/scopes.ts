/** OAuth scope sets: parsing, joining, and checking with a hierarchy of broader scopes. */

/** The scopes of a space-separated `scope` value (or a list), without duplicates or empties. */
export function parseScopes(value: string | readonly string[] | undefined | null): string[] {
  if (!value) return [];
  const list = typeof value === 'string' ? value.split(/\s+/) : value;
  return [...new Set(list.filter((s) => s !== ''))];
}

/** The union of scope sets, in first-seen order. */
export function unionScopes(...sets: (readonly string[] | string | undefined)[]): string[] {
  return parseScopes(sets.flatMap((s) => parseScopes(s)));
}

/**
 * Which of `required` are not covered by `granted`. `hierarchy` maps a broad scope to the narrower
 * scopes it implies (transitively), e.g. `{ 'mcp:admin': ['mcp:write'], 'mcp:write': ['mcp:read'] }`.
 */
export function missingScopes(
  granted: readonly string[],
  required: readonly string[],
  hierarchy: Readonly<Record<string, readonly string[]>> = {},
): string[] {
  const held = new Set<string>();
  const pending = [...granted];
  while (pending.length > 0) {
    const scope = pending.pop() as string;
    if (held.has(scope)) continue;
    held.add(scope);
    pending.push(...(hierarchy[scope] ?? []));
  }
  return required.filter((s) => !held.has(s));
}
