/**
 * The wire side of the Tasks extension: who may use its methods, how a task reads on the wire
 * (CreateTaskResult, DetailedTask), and the errors of `tasks/get`, `tasks/update` and `tasks/cancel`.
 */
import { ErrorCode, McpError } from '../protocol/index.ts';
import type { AuthInfo } from '../rpc/index.ts';
import type { RequestContext } from '../server/index.ts';
import { TASKS_EXTENSION, type TaskInfo, type TaskRecord } from './task-store.ts';

/** The principal a task is bound to: '' for unauthenticated requests. */
export function principalOf(auth: AuthInfo | undefined): string {
  return auth ? `${auth.clientId ?? ''}:${auth.subject ?? ''}` : '';
}

/** Whether capabilities (`_meta` envelope or session) declare the tasks extension. */
export function declaresTasks(capabilities: unknown): boolean {
  if (typeof capabilities !== 'object' || capabilities === null) return false;
  const extensions = (capabilities as { extensions?: unknown }).extensions;
  return (
    typeof extensions === 'object' &&
    extensions !== null &&
    (extensions as Record<string, unknown>)[TASKS_EXTENSION] !== undefined
  );
}

/** The -32021 error for a client that did not declare the extension. */
export function tasksNotDeclared(what: string): McpError {
  return new McpError(
    ErrorCode.MissingRequiredClientCapability,
    `${what} needs the '${TASKS_EXTENSION}' extension; declare it in the request's client capabilities (extensions).`,
    { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
  );
}

/** Fails with -32021 unless the request declared the extension. */
export function requireTasks(ctx: RequestContext, method: string): void {
  if (!declaresTasks(ctx.session.clientCapabilities)) throw tasksNotDeclared(`'${method}'`);
}

/** The `taskId` param, or -32602. */
export function taskIdParam(params: Record<string, unknown>, method: string): string {
  const id = params.taskId;
  if (typeof id !== 'string' || id.length === 0) {
    throw new McpError(ErrorCode.InvalidParams, `${method} needs 'taskId' (a non-empty string).`);
  }
  return id;
}

/** The error for a task that does not exist, expired, or belongs to someone else. */
export function unknownTask(taskId: string): McpError {
  return new McpError(
    ErrorCode.InvalidParams,
    `Unknown task '${taskId}': it does not exist, expired, or was created by another principal.`,
    { taskId },
  );
}

/** The task fields of a record. */
export function taskInfo(task: TaskRecord): TaskInfo {
  const info: TaskInfo = {
    taskId: task.taskId,
    status: task.status,
    createdAt: task.createdAt,
    lastUpdatedAt: task.lastUpdatedAt,
    ttlMs: task.ttlMs,
    pollIntervalMs: task.pollIntervalMs,
  };
  if (task.statusMessage !== undefined) info.statusMessage = task.statusMessage;
  return info;
}

/** The answer to the request that created a task (`resultType: "task"`). */
export function createTaskResult(task: TaskRecord): Record<string, unknown> {
  return { resultType: 'task', ...taskInfo(task) };
}

/** The `tasks/get` answer: the task, with its result, error or pending input requests inlined. */
export function detailedTask(task: TaskRecord): Record<string, unknown> {
  const out: Record<string, unknown> = { ...taskInfo(task) };
  if (task.status === 'completed' && task.result !== undefined) out.result = task.result;
  if (task.status === 'failed' && task.error !== undefined) out.error = task.error;
  if (task.status === 'input_required' && task.inputRequests !== undefined)
    out.inputRequests = task.inputRequests;
  return out;
}

/** The `inputResponses` param of `tasks/update`, or -32602. */
export function inputResponsesParam(params: Record<string, unknown>): Record<string, unknown> {
  const r = params.inputResponses;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    throw new McpError(
      ErrorCode.InvalidParams,
      "tasks/update needs 'inputResponses' (an object keyed by the task's inputRequests keys).",
    );
  }
  return r as Record<string, unknown>;
}

/** A new task id: 128 random bits, hex. */
export function newTaskId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
