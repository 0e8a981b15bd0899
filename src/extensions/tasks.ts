/**
 * The Tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28) on a server: a `tools/call` of
 * a task-capable tool, from a client that declared the extension, is answered with a
 * CreateTaskResult while the tool runs on in the background; clients poll `tasks/get`, answer input
 * requests with `tasks/update` and stop work with `tasks/cancel`.
 *
 *   const tasks = createTasks({ tools: { build: 'optional' } });
 *   const server = new McpServer({ name, version, middleware: [tasks.middleware] });
 *   enableTasks(server, tasks);
 */
import { McpError, MetaKey, MODERN_REVISION } from '../protocol/index.ts';
import type { MessageInfo, Middleware, MiddlewareRequest } from '../rpc/index.ts';
import type { McpServer, RequestContext } from '../server/index.ts';
import { Loopback, type LoopbackOutcome } from './loopback.ts';
import {
  createTaskResult,
  declaresTasks,
  detailedTask,
  inputResponsesParam,
  newTaskId,
  principalOf,
  requireTasks,
  taskIdParam,
  tasksNotDeclared,
  unknownTask,
} from './task-methods.ts';
import {
  isTerminal,
  MemoryTaskStore,
  TASKS_EXTENSION,
  type TaskRecord,
  type TaskStore,
} from './task-store.ts';

/** How a tool takes part in tasks. */
export interface ToolTaskSettings {
  /** 'optional': a task when the client declared the extension; 'required': never without one (-32021). */
  taskSupport: 'optional' | 'required';
  /**
   * Milliseconds to wait for the tool before answering with a task (default 0: a task at once).
   * A tool that finishes sooner is answered directly (a 'required' one as an already finished
   * task), and an input request it makes in that time goes back as an ordinary `input_required`
   * result. `Infinity` leaves the moment to the handler: see `Tasks.escalate()`.
   */
  after?: number;
}

/** Options of the Tasks extension. */
export interface TasksOptions {
  /** Where tasks live (default: a MemoryTaskStore). */
  store?: TaskStore;
  /** How long a task stays readable after its creation, ms (default 10 minutes). */
  ttlMs?: number;
  /** The polling interval suggested to clients, ms (default 1,000). */
  pollIntervalMs?: number;
  /** The task-capable tools, by name. */
  tools?: Record<string, ToolTaskSettings['taskSupport'] | ToolTaskSettings>;
  /** Where errors with no caller go (default: console.error). */
  onError?: (error: Error) => void;
}

/** A tool call running through the loopback, before or after it became a task. */
interface Run {
  loopbackId: string | number;
  taskId?: string;
  escalate: () => Promise<string>;
}

const never = new Promise<never>(() => {});

/** The Tasks extension of one server. */
export class Tasks {
  /** Where the tasks live. */
  readonly store: TaskStore;
  /** The middleware that turns tool calls into tasks; put it in `McpServerOptions.middleware`. */
  readonly middleware: Middleware;
  readonly #ttlMs: number;
  readonly #pollIntervalMs: number;
  readonly #tools = new Map<string, ToolTaskSettings>();
  readonly #loopback = new Loopback();
  readonly #ours = new WeakSet<MessageInfo>();
  readonly #runsByInfo = new WeakMap<MessageInfo, Run>();
  readonly #runsByTask = new Map<string, Run>();
  readonly #locks = new Map<string, Promise<unknown>>();
  readonly #onError: (error: Error) => void;
  #attached = false;

  constructor(options: TasksOptions = {}) {
    this.store = options.store ?? new MemoryTaskStore();
    this.#ttlMs = Math.max(1, Math.floor(options.ttlMs ?? 10 * 60_000));
    this.#pollIntervalMs = Math.max(1, Math.floor(options.pollIntervalMs ?? 1_000));
    this.#onError = options.onError ?? ((e) => console.error('mcpkit tasks:', e.message));
    for (const [name, s] of Object.entries(options.tools ?? {})) this.support(name, s);
    this.middleware = (request, next) => this.#intercept(request, next);
  }

  /** Makes a tool task-capable (or changes how). */
  support(tool: string, settings: ToolTaskSettings['taskSupport'] | ToolTaskSettings): void {
    this.#tools.set(tool, typeof settings === 'string' ? { taskSupport: settings } : settings);
  }

  /**
   * Called by a tool handler: answer the call now with a CreateTaskResult and go on in the
   * background. Resolves with the task id once the task is stored (at once when the call already
   * is a task); resolves undefined when this call cannot become a task (the tool is not
   * task-capable, or the client did not declare the extension), and the handler simply goes on.
   */
  escalate(ctx: RequestContext): Promise<string | undefined> {
    const run = ctx.info ? this.#runsByInfo.get(ctx.info) : undefined;
    return run ? run.escalate() : Promise.resolve(undefined);
  }

  /** Declares the extension on a server, adds its methods and connects the background channel. */
  attach(server: McpServer): void {
    if (this.#attached) throw new Error('These Tasks are already attached to a server.');
    this.#attached = true;
    server.extension(TASKS_EXTENSION, {});
    server.method('tasks/get', (params, ctx) => this.#get(params, ctx));
    server.method('tasks/update', (params, ctx) => this.#update(params, ctx));
    server.method('tasks/cancel', (params, ctx) => this.#cancel(params, ctx));
    server.connect(this.#loopback).catch((e: unknown) => this.#onError(e as Error));
  }

  /** Stops the background channel; running tools are cancelled, tasks stay in the store. */
  close(): Promise<void> {
    for (const run of this.#runsByTask.values()) this.#loopback.cancel(run.loopbackId, 'closing');
    this.#runsByTask.clear();
    return this.#loopback.close();
  }

  #intercept(request: MiddlewareRequest, next: () => Promise<Record<string, unknown>>) {
    if (request.direction !== 'inbound' || request.method !== 'tools/call') return next();
    if (request.info && this.#ours.has(request.info)) return next();
    const params = request.params ?? {};
    const settings = typeof params.name === 'string' ? this.#tools.get(params.name) : undefined;
    const meta = params._meta as Record<string, unknown> | undefined;
    // revision: the Tasks extension is defined for 2026-07-28 only; middleware sees the raw envelope
    if (!settings || meta?.[MetaKey.protocolVersion] !== MODERN_REVISION) return next();
    if (!declaresTasks(meta[MetaKey.clientCapabilities])) {
      if (settings.taskSupport === 'required') throw tasksNotDeclared(`The tool '${params.name}'`);
      return next();
    }
    return this.#start(request, params, settings);
  }

  async #start(
    request: MiddlewareRequest,
    params: Record<string, unknown>,
    settings: ToolTaskSettings,
  ): Promise<Record<string, unknown>> {
    const principal = principalOf(request.info?.auth);
    let created: Promise<TaskRecord> | undefined;
    let escalated!: () => void;
    const escalation = new Promise<void>((resolve) => {
      escalated = resolve;
    });
    const create = (): Promise<TaskRecord> => {
      created ??= this.#create(principal, params, run);
      return created;
    };
    const info = this.#info(request.info);
    const { id, outcome } = this.#loopback.request('tools/call', params, info);
    const run: Run = {
      loopbackId: id,
      escalate: async () => {
        escalated();
        return (await create()).taskId;
      },
    };
    this.#runsByInfo.set(info, run);
    const after = settings.after ?? 0;
    if (after <= 0) return this.#answerWithTask(await create(), outcome);

    const cancel = () => this.#loopback.cancel(id, 'The client cancelled the request.');
    request.signal.addEventListener('abort', cancel, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const elapsed =
      after === Number.POSITIVE_INFINITY
        ? never
        : new Promise<void>((resolve) => {
            timer = setTimeout(resolve, after);
          });
    const first = await Promise.race([
      outcome,
      escalation.then(() => undefined),
      elapsed.then(() => undefined),
    ]);
    clearTimeout(timer);
    request.signal.removeEventListener('abort', cancel);
    if (first === undefined || created !== undefined) return this.#answerWithTask(await create(), outcome);
    if ('result' in first && first.result.resultType === 'input_required') return first.result;
    if (settings.taskSupport === 'optional') {
      if ('error' in first) throw McpError.fromObject(first.error);
      return first.result;
    }
    const task = await create();
    await this.#settle(task.taskId, first);
    return createTaskResult((await this.store.get(task.taskId)) ?? task);
  }

  /** Answers with the task and lets the run's outcome settle it later. */
  #answerWithTask(task: TaskRecord, outcome: Promise<LoopbackOutcome>): Record<string, unknown> {
    outcome.then((o) => this.#settle(task.taskId, o)).catch((e: unknown) => this.#onError(e as Error));
    return createTaskResult(task);
  }

  /** Transport facts for a background run: the caller's principal, marked as ours. */
  #info(from: MessageInfo | undefined): MessageInfo {
    const info: MessageInfo = { protocolVersion: MODERN_REVISION };
    if (from?.auth) info.auth = from.auth;
    if (from?.request) info.request = from.request;
    this.#ours.add(info);
    return info;
  }

  async #create(principal: string, request: Record<string, unknown>, run: Run): Promise<TaskRecord> {
    const now = Date.now();
    const stamp = new Date(now).toISOString();
    const task: TaskRecord = {
      taskId: newTaskId(),
      status: 'working',
      createdAt: stamp,
      lastUpdatedAt: stamp,
      ttlMs: this.#ttlMs,
      pollIntervalMs: this.#pollIntervalMs,
      principal,
      expiresAt: now + this.#ttlMs,
      request,
    };
    await this.store.create(task);
    run.taskId = task.taskId;
    this.#runsByTask.set(task.taskId, run);
    return task;
  }

  /** Runs `fn` after every earlier change of the same task. */
  #locked<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(taskId) ?? Promise.resolve();
    const done = prev.then(fn, fn);
    const tail = done.catch(() => {});
    this.#locks.set(taskId, tail);
    tail.then(() => {
      if (this.#locks.get(taskId) === tail) this.#locks.delete(taskId);
    });
    return done;
  }

  /** Records how a run ended: a result, an error, or a round that needs input. */
  #settle(taskId: string, outcome: LoopbackOutcome): Promise<void> {
    return this.#locked(taskId, async () => {
      this.#runsByTask.delete(taskId);
      const task = await this.store.get(taskId);
      if (!task || isTerminal(task.status)) return; // cancelled or expired meanwhile: the outcome is dropped
      if ('error' in outcome) {
        task.status = 'failed';
        task.error = outcome.error;
      } else if (outcome.result.resultType === 'input_required') {
        task.status = 'input_required';
        task.inputRequests = outcome.result.inputRequests as TaskRecord['inputRequests'];
        task.requestState = outcome.result.requestState as string | undefined;
        task.answers = {};
      } else {
        const { resultType: _r, ...result } = outcome.result;
        task.status = 'completed';
        task.result = result;
      }
      task.lastUpdatedAt = new Date().toISOString();
      await this.store.put(task);
    });
  }

  async #find(params: Record<string, unknown>, ctx: RequestContext, method: string): Promise<TaskRecord> {
    requireTasks(ctx, method);
    const taskId = taskIdParam(params, method);
    const task = await this.store.get(taskId);
    if (!task || task.principal !== principalOf(ctx.auth)) throw unknownTask(taskId);
    return task;
  }

  async #get(params: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>> {
    return detailedTask(await this.#find(params, ctx, 'tasks/get'));
  }

  async #update(params: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>> {
    const found = await this.#find(params, ctx, 'tasks/update');
    const responses = inputResponsesParam(params);
    await this.#locked(found.taskId, async () => {
      const task = await this.store.get(found.taskId);
      if (task?.status !== 'input_required' || !task.inputRequests) return;
      const answers = task.answers ?? {};
      for (const [key, answer] of Object.entries(responses)) {
        if (!(key in task.inputRequests)) continue; // unknown or already answered: ignored
        answers[key] = answer;
        delete task.inputRequests[key];
      }
      task.answers = answers;
      task.lastUpdatedAt = new Date().toISOString();
      if (Object.keys(task.inputRequests).length > 0) {
        await this.store.put(task);
        return;
      }
      const replay: Record<string, unknown> = { ...task.request, inputResponses: answers };
      if (task.requestState !== undefined) replay.requestState = task.requestState;
      task.status = 'working';
      delete task.inputRequests;
      delete task.answers;
      delete task.requestState;
      await this.store.put(task);
      this.#resume(task, replay, ctx.info);
    });
    return {};
  }

  /** Runs the tool again with the gathered answers (the next round of the same call). */
  #resume(task: TaskRecord, params: Record<string, unknown>, from: MessageInfo | undefined): void {
    const info = this.#info(from);
    const { id, outcome } = this.#loopback.request('tools/call', params, info);
    const run: Run = { loopbackId: id, taskId: task.taskId, escalate: async () => task.taskId };
    this.#runsByInfo.set(info, run);
    this.#runsByTask.set(task.taskId, run);
    outcome.then((o) => this.#settle(task.taskId, o)).catch((e: unknown) => this.#onError(e as Error));
  }

  async #cancel(params: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>> {
    const found = await this.#find(params, ctx, 'tasks/cancel');
    await this.#locked(found.taskId, async () => {
      const task = await this.store.get(found.taskId);
      if (!task || isTerminal(task.status)) return;
      task.status = 'cancelled';
      task.lastUpdatedAt = new Date().toISOString();
      delete task.inputRequests;
      delete task.answers;
      delete task.requestState;
      await this.store.put(task);
      const run = this.#runsByTask.get(task.taskId);
      this.#runsByTask.delete(task.taskId);
      if (run) this.#loopback.cancel(run.loopbackId, 'The task was cancelled.');
    });
    return {};
  }
}

/** Creates the Tasks extension; put `middleware` in the server's options, then `enableTasks`. */
export function createTasks(options: TasksOptions = {}): Tasks {
  return new Tasks(options);
}

/** Declares the Tasks extension on a server and adds `tasks/get`, `tasks/update`, `tasks/cancel`. */
export function enableTasks(server: McpServer, tasks: Tasks): Tasks {
  tasks.attach(server);
  return tasks;
}
