/**
 * The skills extension (SEP-2640) on the client side: list skills, load one by reading its
 * SKILL.md, verify the file against the listed size, digest and frontmatter, and read its other
 * files only once the skill verified.
 */
import type { McpClient } from '../src/client/index.ts';
import type { ReadResourceResult } from '../src/index.ts';
import { type ScenarioRun, withClient } from './client-connect.ts';

interface SkillFile {
  uri: string;
  digest?: string;
  size?: number;
}

interface SkillEntry {
  uri: string;
  frontmatter?: Record<string, unknown>;
  resources?: SkillFile[] | 'dynamic';
}

async function listSkills(client: McpClient): Promise<SkillEntry[]> {
  const result = await client.request<{ skills?: SkillEntry[] }>('skills/list', {});
  return result.skills ?? [];
}

function bytesOf(result: ReadResourceResult): Uint8Array {
  const content = result.contents[0] as { text?: string; blob?: string } | undefined;
  if (content?.text !== undefined) return new TextEncoder().encode(content.text);
  if (content?.blob !== undefined) return Uint8Array.from(atob(content.blob), (c) => c.charCodeAt(0));
  throw new Error('The skill file has no content.');
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return `sha256:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The flat `key: value` pairs of a SKILL.md's YAML frontmatter. */
function frontmatterOf(text: string): Record<string, string> {
  const match = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  const fields: Record<string, string> = {};
  for (const line of (match?.[1] ?? '').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) fields[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return fields;
}

/** Why a file fails verification against its entry, or undefined when it passes. */
async function verifyFile(bytes: Uint8Array, file: SkillFile | undefined): Promise<string | undefined> {
  if (!file) return undefined;
  if (file.size !== undefined && bytes.byteLength !== file.size)
    return `size ${bytes.byteLength} differs from the listed ${file.size}`;
  if (file.digest !== undefined && (await sha256(bytes)) !== file.digest) return 'digest mismatch';
  return undefined;
}

/** Loads a skill: reads and verifies SKILL.md, then (only if it verified) its other files. */
async function loadSkill(client: McpClient, skill: SkillEntry): Promise<void> {
  const files = Array.isArray(skill.resources) ? skill.resources : [];
  const bytes = bytesOf(await client.readResource(skill.uri));
  const problem = await verifyFile(
    bytes,
    files.find((f) => f.uri === skill.uri),
  );
  if (problem) throw new Error(`Skill ${skill.uri} refused: ${problem}.`);
  const found = frontmatterOf(new TextDecoder().decode(bytes));
  for (const [key, value] of Object.entries(skill.frontmatter ?? {})) {
    if (found[key] !== String(value))
      throw new Error(`Skill ${skill.uri} refused: frontmatter '${key}' differs.`);
  }
  for (const file of files) {
    if (file.uri === skill.uri) continue;
    const reason = await verifyFile(bytesOf(await client.readResource(file.uri)), file);
    if (reason) throw new Error(`Skill file ${file.uri} refused: ${reason}.`);
  }
}

/** `sep-2640-client-no-prefetch`: list skills and read none of their files. */
export const skillsNoPrefetch: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    await listSkills(client);
  });

/** `sep-2640-client-verify-*`: load the listed skill; a file that fails verification is refused. */
export const skillsVerify: ScenarioRun = (env) =>
  withClient(env, async (client) => {
    for (const skill of await listSkills(client)) await loadSkill(client, skill);
  });
