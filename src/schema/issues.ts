/** Turning validation problems into readable paths and one summary sentence. */
import type { ValidationIssue, ValidationResult } from './types.ts';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_LISTED = 10;

/** Formats path segments as `a.b[0]["odd key"]`; the root is the empty string. */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'symbol') out += `[${String(segment)}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Builds a failed ValidationResult whose message lists the issues in one sentence. */
export function failure(issues: ValidationIssue[]): ValidationResult {
  const parts = issues
    .slice(0, MAX_LISTED)
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path}: ${issue.message}`));
  if (issues.length > MAX_LISTED) parts.push(`and ${issues.length - MAX_LISTED} more`);
  return { ok: false, issues, message: parts.join('; ') };
}

/**
 * A failed ValidationResult from a validator's issues, each path and message listed once ('is
 * invalid' at the root when the validator gave none).
 */
export function distinctFailure(issues: Iterable<ValidationIssue>): ValidationResult {
  const seen = new Set<string>();
  const distinct: ValidationIssue[] = [];
  for (const issue of issues) {
    const key = `${issue.path}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      distinct.push(issue);
    }
  }
  if (distinct.length === 0) distinct.push({ path: '', message: 'is invalid' });
  return failure(distinct);
}

/** The JSON type name of a value: null, array, object, number, string, boolean. */
export function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Where a JSON pointer leads in `root`: path segments (array indexes as numbers) and the value there. */
export function locate(pointer: string, root: unknown): { segments: PropertyKey[]; value: unknown } {
  const segments: PropertyKey[] = [];
  let value = root;
  if (pointer === '') return { segments, value };
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^\d+$/.test(key)) {
      segments.push(Number(key));
      value = value[Number(key)];
    } else {
      segments.push(key);
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return { segments, value };
}
