/**
 * The extension fixtures of the reference server (what `npm start`, `mcpkit serve` and the conformance
 * suite's everything-server serve): the Tasks extension
 * with the suite's tools (`greet`, `slow_compute`, `confirm_delete`, `multi_input`, `failing_job`,
 * `protocol_error_job`, `test_tool_with_task`) and the Skills extension with one skill.
 */
import { createTasks, enableSkills, enableTasks, type Tasks } from '../extensions/index.ts';
import { ErrorCode, McpError } from '../protocol/index.ts';
import type { McpServer, RequestContext } from '../server/index.ts';

/** Waits, or throws once the call is cancelled. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(new Error('cancelled'));
      },
      { once: true },
    );
  });
}

/** The Tasks extension with the suite's settings; its middleware goes in the server's options. */
export function extensionTasks(): Tasks {
  return createTasks({
    pollIntervalMs: 200,
    tools: {
      slow_compute: 'optional',
      confirm_delete: 'optional',
      multi_input: 'optional',
      failing_job: 'required',
      protocol_error_job: 'required',
      test_tool_with_task: { taskSupport: 'required', after: Number.POSITIVE_INFINITY },
    },
  });
}

/** Registers the suite's task tools and declares the extension. */
export function registerTaskFixtures(server: McpServer, tasks: Tasks): void {
  enableTasks(server, tasks);
  server.tool(
    'greet',
    {
      description: 'Says hello (always synchronous).',
      input: { type: 'object', properties: { name: { type: 'string' } } },
    },
    (args) => `Hello, ${String(args.name ?? 'World')}!`,
  );
  server.tool(
    'slow_compute',
    {
      description: 'Sleeps for `seconds`, then answers (a task when the client supports tasks).',
      input: {
        type: 'object',
        properties: { seconds: { type: 'number' }, label: { type: 'string' } },
      },
    },
    async (args, ctx) => {
      const seconds = typeof args.seconds === 'number' ? args.seconds : 1;
      await sleep(seconds * 1000, ctx.signal);
      return `Computed '${String(args.label ?? '')}' after ${seconds}s.`;
    },
  );
  server.tool(
    'confirm_delete',
    {
      description: 'Asks the user to confirm, then deletes (pretend) the file.',
      input: { type: 'object', properties: { filename: { type: 'string' } } },
    },
    async (args, ctx) => {
      const answer = await ctx.elicit({
        message: `Delete ${String(args.filename ?? 'the file')}?`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean' } },
          required: ['confirm'],
        },
      });
      const yes = answer.action === 'accept' && answer.content?.confirm === true;
      return yes ? `Deleted ${String(args.filename)}.` : 'Nothing deleted.';
    },
  );
  server.tool(
    'multi_input',
    { description: 'Asks two questions at once.', input: { type: 'object', properties: {} } },
    async (_args, ctx: RequestContext) => {
      const [a, b] = await Promise.all([
        ctx.elicit(
          {
            message: 'Your name?',
            requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
          },
          { key: 'name' },
        ),
        ctx.elicit(
          {
            message: 'Proceed?',
            requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } } },
          },
          { key: 'confirm' },
        ),
      ]);
      return `Answers: ${JSON.stringify(a.content ?? {})} ${JSON.stringify(b.content ?? {})}`;
    },
  );
  server.tool(
    'failing_job',
    {
      description: 'Runs for a second, then reports a tool error.',
      input: { type: 'object', properties: {} },
    },
    async (_args, ctx) => {
      await sleep(1000, ctx.signal);
      return { content: [{ type: 'text', text: 'The job failed.' }], isError: true };
    },
  );
  server.tool(
    'protocol_error_job',
    { description: 'Fails with a JSON-RPC error.', input: { type: 'object', properties: {} } },
    async (_args, ctx) => {
      await sleep(100, ctx.signal);
      throw new McpError(ErrorCode.InternalError, 'The job crashed.');
    },
  );
  server.tool(
    'test_tool_with_task',
    {
      description: 'Asks for a name (an input_required round), then finishes as a task.',
      input: { type: 'object', properties: {} },
    },
    async (_args, ctx) => {
      const answer = await ctx.elicit(
        {
          message: 'What is your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
        { key: 'user_name' },
      );
      await tasks.escalate(ctx);
      await sleep(300, ctx.signal);
      return `Hello, ${String(answer.content?.name ?? 'stranger')}!`;
    },
  );
}

const SKILL_BODY = `# PDF processing

Use the scripts of this skill to extract text from PDF files and to fill PDF forms.
See [the forms guide](references/FORMS.md) for form fields.
`;

/** Declares the Skills extension with one skill (a SKILL.md and a file in a subdirectory). */
export function registerSkillFixtures(server: McpServer): Promise<unknown> {
  return enableSkills(server, {
    skills: [
      {
        frontmatter: {
          name: 'pdf-processing',
          description: 'Extract text from PDF files and fill PDF forms',
        },
        body: SKILL_BODY,
        files: { 'references/FORMS.md': '# Forms\n\nEvery form field has a name and a type.\n' },
      },
    ],
  });
}
