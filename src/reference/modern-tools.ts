/**
 * Reference tools for the 2026-07-28 scenarios: Multi Round-Trip Requests, per-request
 * capabilities and logging, list-change triggers, and an `x-mcp-header` parameter. The same
 * handlers serve legacy sessions, where the input requests become server→client requests.
 */
import type { McpServer, Registered } from '../server/index.ts';

const NO_ARGS = { type: 'object', properties: {} } as const;

const NAME_FORM = {
  type: 'object' as const,
  properties: { name: { type: 'string' as const, description: 'Your name' } },
  required: ['name'],
};

const CAPITAL = {
  messages: [
    { role: 'user' as const, content: { type: 'text' as const, text: 'What is the capital of France?' } },
  ],
  maxTokens: 100,
};

function textOf(content: unknown): string {
  const c = Array.isArray(content) ? content[0] : content;
  return c && typeof c === 'object' && 'text' in c
    ? String((c as { text: unknown }).text)
    : JSON.stringify(c);
}

/** Registers the tools and the prompt of the 2026-07-28 conformance scenarios. */
export function registerModernTools(server: McpServer): void {
  server.tool(
    'test_missing_capability',
    { description: 'Needs the sampling capability; answers -32021 without it.', input: NO_ARGS },
    (_args, ctx) => {
      ctx.requireCapability('sampling', 'this tool');
      return 'The client declared sampling.';
    },
  );
  server.tool(
    'test_streaming_elicitation',
    { description: 'Streams progress, then its result; never sends a request.', input: NO_ARGS },
    async (_args, ctx) => {
      if (ctx.wantsProgress) await ctx.progress(1, 2, 'working');
      return 'Streaming completed without requests to the client.';
    },
  );
  server.tool(
    'test_logging_tool',
    { description: 'Logs two messages, sent only when the request asked for a log level.', input: NO_ARGS },
    async (_args, ctx) => {
      await ctx.log('info', 'Logging tool started');
      await ctx.log('debug', 'Logging tool details');
      return 'Logging tool completed.';
    },
  );
  let extraTool: Registered | undefined;
  server.tool(
    'test_trigger_tool_change',
    { description: 'Adds or removes a tool, so tools/list_changed is sent.', input: NO_ARGS },
    () => {
      if (extraTool) {
        extraTool.remove();
        extraTool = undefined;
      } else {
        extraTool = server.tool(
          'test_dynamic_tool',
          { description: 'Appears and disappears.', input: NO_ARGS },
          () => 'dynamic',
        );
      }
      return 'The tool list changed.';
    },
  );
  let extraPrompt: Registered | undefined;
  server.tool(
    'test_trigger_prompt_change',
    { description: 'Adds or removes a prompt, so prompts/list_changed is sent.', input: NO_ARGS },
    () => {
      if (extraPrompt) {
        extraPrompt.remove();
        extraPrompt = undefined;
      } else {
        extraPrompt = server.prompt(
          'test_dynamic_prompt',
          { description: 'Appears and disappears.' },
          () => 'dynamic',
        );
      }
      return 'The prompt list changed.';
    },
  );
  server.tool(
    'test_x_mcp_header',
    {
      description: 'Takes a region mirrored in the Mcp-Param-Region header.',
      input: {
        type: 'object',
        properties: { region: { type: 'string', description: 'Region', 'x-mcp-header': 'Region' } },
        required: ['region'],
      },
    },
    (args) => `Region: ${String((args as { region: string }).region)}`,
  );
  registerInputRequiredTools(server);
}

function registerInputRequiredTools(server: McpServer): void {
  server.tool(
    'test_input_required_result_elicitation',
    { description: 'Asks the user for a name (input_required on 2026-07-28).', input: NO_ARGS },
    async (_args, ctx) => {
      const r = await ctx.elicit(
        { message: 'What is your name?', requestedSchema: NAME_FORM },
        { key: 'user_name' },
      );
      return `Hello, ${String(r.content?.name ?? r.action)}!`;
    },
  );
  server.tool(
    'test_input_required_result_sampling',
    { description: "Asks the client's model a question.", input: NO_ARGS },
    async (_args, ctx) =>
      `Model says: ${textOf((await ctx.sample(CAPITAL, { key: 'capital_question' })).content)}`,
  );
  server.tool(
    'test_input_required_result_list_roots',
    { description: "Asks for the client's roots.", input: NO_ARGS },
    async (_args, ctx) =>
      `Roots: ${(await ctx.listRoots({ key: 'client_roots' })).roots.map((r) => r.uri).join(', ')}`,
  );
  server.tool(
    'test_input_required_result_request_state',
    { description: 'Asks for a confirmation and carries state between rounds.', input: NO_ARGS },
    async (_args, ctx) => {
      const r = await ctx.elicit(
        {
          message: 'Confirm?',
          requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
        },
        { key: 'confirm' },
      );
      return `state-ok: ${r.action}`;
    },
  );
  server.tool(
    'test_input_required_result_multiple_inputs',
    { description: 'Asks for elicitation, sampling and roots at once.', input: NO_ARGS },
    async (_args, ctx) => {
      const [who, answer, roots] = await Promise.all([
        ctx.elicit({ message: 'What is your name?', requestedSchema: NAME_FORM }, { key: 'user_name' }),
        ctx.sample(CAPITAL, { key: 'capital_question' }),
        ctx.listRoots({ key: 'client_roots' }),
      ]);
      return `All inputs: ${String(who.content?.name)}, ${textOf(answer.content)}, ${roots.roots.length} roots`;
    },
  );
  server.tool(
    'test_input_required_result_multi_round',
    { description: 'Asks twice, one round after the other.', input: NO_ARGS },
    async (_args, ctx) => {
      const first = await ctx.elicit(
        { message: 'Step 1: your name?', requestedSchema: NAME_FORM },
        { key: 'step_1' },
      );
      const second = await ctx.elicit(
        {
          message: 'Step 2: confirm?',
          requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
        },
        { key: 'step_2' },
      );
      return `Both rounds done: ${first.action}, ${second.action}`;
    },
  );
  server.tool(
    'test_input_required_result_tampered_state',
    { description: 'Carries signed state; a tampered one is refused.', input: NO_ARGS },
    async (_args, ctx) => {
      const r = await ctx.elicit({ message: 'Confirm?', requestedSchema: NAME_FORM }, { key: 'user_name' });
      return `Verified state: ${r.action}`;
    },
  );
  server.tool(
    'test_input_required_result_capabilities',
    { description: 'Asks only for what the request declared it can answer.', input: NO_ARGS },
    async (_args, ctx) => {
      const caps = ctx.session.clientCapabilities;
      if (caps.elicitation) {
        const r = await ctx.elicit({ message: 'Name?', requestedSchema: NAME_FORM }, { key: 'user_name' });
        return `Elicited: ${r.action}`;
      }
      if (caps.sampling)
        return `Sampled: ${textOf((await ctx.sample(CAPITAL, { key: 'capital_question' })).content)}`;
      if (caps.roots) return `Roots: ${(await ctx.listRoots({ key: 'client_roots' })).roots.length}`;
      return 'The client can answer no input requests.';
    },
  );
  server.prompt(
    'test_input_required_result_prompt',
    { description: 'A prompt that asks the user for context first.' },
    async (_args, ctx) => {
      const r = await ctx.elicit(
        {
          message: 'What context should the prompt use?',
          requestedSchema: {
            type: 'object',
            properties: { context: { type: 'string' } },
            required: ['context'],
          },
        },
        { key: 'user_context' },
      );
      return `Use this context: ${String(r.content?.context ?? 'none')}`;
    },
  );
}
