/** Filling in schema defaults, as elicitation forms do with each primitive's `default`. */

/** Returns `content` with each top-level property's `default` from `schema.properties` filled in where absent. */
export function applyDefaults(
  schema: Record<string, unknown>,
  content: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const properties = schema.properties;
  let result = content ?? {};
  if (typeof properties !== 'object' || properties === null) return result;
  for (const [key, property] of Object.entries(properties)) {
    if (typeof property !== 'object' || property === null || !('default' in property)) continue;
    if (result[key] !== undefined) continue;
    if (result === content) result = { ...content };
    result[key] = structuredClone(property.default);
  }
  return result;
}
