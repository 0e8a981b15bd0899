/** Checks tool results against the output schemas the server listed. */
import type { CallToolResult, Tool } from '../protocol/index.ts';
import { type CompiledSchema, compileSchema, type SchemaCompiler } from '../schema/index.ts';

/** Remembers each tool's outputSchema and validates structuredContent against it. */
export class OutputValidator {
  #schemas = new Map<string, { text: string; compiled: CompiledSchema } | null>();
  readonly #compile: SchemaCompiler;

  /** `compile` turns each listed outputSchema into a validator (default: `compileSchema`). */
  constructor(compile: SchemaCompiler = compileSchema) {
    this.#compile = compile;
  }

  /** Records a listed tool's output schema (compiled once per distinct schema). */
  remember(tool: Tool): void {
    if (!tool.outputSchema) {
      this.#schemas.set(tool.name, null);
      return;
    }
    const text = JSON.stringify(tool.outputSchema);
    const known = this.#schemas.get(tool.name);
    if (known && known.text === text) return;
    this.#schemas.set(tool.name, {
      text,
      compiled: this.#compile(tool.outputSchema, { name: `${tool.name} output` }),
    });
  }

  /** Whether the tool's listing has been seen. */
  knows(name: string): boolean {
    return this.#schemas.has(name);
  }

  /** Forgets everything (the tool list changed). */
  clear(): void {
    this.#schemas.clear();
  }

  /** Returns a problem description, or undefined when the result is fine. */
  async check(name: string, result: CallToolResult): Promise<string | undefined> {
    const entry = this.#schemas.get(name);
    if (!entry) return undefined;
    if (result.structuredContent === undefined) {
      return `Tool '${name}' has an outputSchema but its result carries no structuredContent.`;
    }
    let checked = entry.compiled.validate(result.structuredContent);
    if (checked instanceof Promise) checked = await checked;
    return checked.ok
      ? undefined
      : `Tool '${name}' returned structuredContent that does not match its outputSchema: ${checked.message}`;
  }
}
