/**
 * The files of a skill (SEP-2640): SKILL.md written from its frontmatter and body, the bytes and
 * SHA-256 digest of every file, and the `skill://` URIs they are served under.
 */

/** A skill a server serves. */
export interface SkillDefinition {
  /**
   * The skill path under `skill://`, e.g. `acme/pdf-processing` (default: the frontmatter name).
   * Its last segment must equal `frontmatter.name`.
   */
  path?: string;
  /** The YAML frontmatter of SKILL.md: `name` and `description` at least. */
  frontmatter: { name: string; description: string } & Record<string, unknown>;
  /** The Markdown after the frontmatter. */
  body: string;
  /** Further files by path inside the skill directory (`references/FORMS.md`): text or bytes. */
  files?: Record<string, string | Uint8Array>;
  /** The MIME type of a further file (default: from its extension). */
  mimeTypes?: Record<string, string>;
}

/** One file of a skill as it is served. */
export interface SkillFile {
  uri: string;
  /** The path inside the skill directory (`SKILL.md`, `references/FORMS.md`). */
  path: string;
  bytes: Uint8Array;
  /** Set for text files. */
  text?: string;
  mimeType: string;
  digest: string;
}

/** A skill ready to serve: its SKILL.md URI, directory URI and files (SKILL.md first). */
export interface BuiltSkill {
  uri: string;
  directory: string;
  name: string;
  frontmatter: Record<string, unknown>;
  files: SkillFile[];
}

const NAME = /^(?!.*--)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/;
const PLAIN = /^[A-Za-z][A-Za-z0-9 ,.()_/+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.eE+-]*|\.inf|\.nan)$/i;
const MIME: Record<string, string> = {
  md: 'text/markdown',
  txt: 'text/plain',
  json: 'application/json',
  py: 'text/x-python',
  js: 'text/javascript',
  ts: 'text/typescript',
  sh: 'text/x-shellscript',
  yaml: 'application/yaml',
  yml: 'application/yaml',
  html: 'text/html',
  css: 'text/css',
  csv: 'text/csv',
  png: 'image/png',
  jpg: 'image/jpeg',
  pdf: 'application/pdf',
};

/** A YAML scalar or flow value: plain when unambiguous, otherwise JSON (which YAML reads as is). */
function yamlValue(value: unknown): string {
  if (typeof value === 'string' && PLAIN.test(value) && value === value.trimEnd() && !RESERVED.test(value)) {
    return value;
  }
  return JSON.stringify(value);
}

/** The SKILL.md text: `---`, one `key: value` line per frontmatter field, `---`, the body. */
export function renderSkillMd(frontmatter: Record<string, unknown>, body: string): string {
  const lines = Object.entries(frontmatter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)}: ${yamlValue(v)}`);
  return `---\n${lines.join('\n')}\n---\n${body}`;
}

/** `sha256:` and the lowercase hex SHA-256 of the bytes. */
export async function sha256Digest(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function mimeOf(path: string, given: string | undefined, text: boolean): string {
  if (given) return given;
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return MIME[ext] ?? (text ? 'text/plain' : 'application/octet-stream');
}

/** Checks a skill and computes its files; throws on a name or path the extension forbids. */
export async function buildSkill(def: SkillDefinition): Promise<BuiltSkill> {
  const name = def.frontmatter.name;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new Error(
      `Skill name '${String(name)}' is invalid: 1-64 lowercase letters, digits and single hyphens, not at either end.`,
    );
  }
  if (typeof def.frontmatter.description !== 'string' || def.frontmatter.description.length === 0) {
    throw new Error(`Skill '${name}' needs a non-empty frontmatter description.`);
  }
  const path = (def.path ?? name).replace(/^\/+|\/+$/g, '');
  const segments = path.split('/');
  if (
    segments[segments.length - 1] !== name ||
    segments.some((s) => s.length === 0 || s === '..' || s === '.')
  ) {
    throw new Error(
      `Skill path '${path}' must be '/'-separated segments ending in the skill name '${name}'.`,
    );
  }
  const directory = `skill://${path}`;
  const encoder = new TextEncoder();
  const skillMd = renderSkillMd(def.frontmatter, def.body);
  const sources: Array<[string, string | Uint8Array]> = [['SKILL.md', skillMd]];
  for (const [p, content] of Object.entries(def.files ?? {})) {
    const clean = p.replace(/^\/+/, '');
    if (clean === 'SKILL.md' || clean.split('/').some((s) => s.length === 0 || s === '..' || s === '.')) {
      throw new Error(
        `Skill '${name}' has a file at '${p}', which is not a path inside the skill directory.`,
      );
    }
    sources.push([clean, content]);
  }
  const files: SkillFile[] = [];
  for (const [p, content] of sources) {
    const text = typeof content === 'string' ? content : undefined;
    const bytes = typeof content === 'string' ? encoder.encode(content) : content;
    const file: SkillFile = {
      uri: `${directory}/${p}`,
      path: p,
      bytes,
      mimeType: mimeOf(p, def.mimeTypes?.[p], text !== undefined),
      digest: await sha256Digest(bytes),
    };
    if (text !== undefined) file.text = text;
    files.push(file);
  }
  return { uri: `${directory}/SKILL.md`, directory, name, frontmatter: { ...def.frontmatter }, files };
}

/** The base64 of bytes (for `blob` contents). */
export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
