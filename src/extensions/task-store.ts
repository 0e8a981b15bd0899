/**
 * The durable side of the Tasks extension (`io.modelcontextprotocol/tasks`): what a task is on the
 * wire, the record a server keeps for it, and the TaskStore interface with its in-memory default.
 */
import type { ErrorObject, InputRequest } from '../protocol/index.ts';

/** The extension's identifier, as declared in `capabilities.extensions`. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** Where a task is in its life. `completed`, `failed` and `cancelled` are terminal. */
export type TaskStatus = 'working' | 'input_required' | 'completed' | 'failed' | 'cancelled';

/** The task fields every task answer carries (flat in a CreateTaskResult). */
export interface TaskInfo {
  taskId: string;
  status: TaskStatus;
  /** A human-readable note on the current status. */
  statusMessage?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  lastUpdatedAt: string;
  /** How long after its creation the task stays readable, in integer milliseconds. */
  ttlMs: number;
  /** How often to poll `tasks/get`, in integer milliseconds. */
  pollIntervalMs: number;
}

/** A task as the server keeps it. */
export interface TaskRecord extends TaskInfo {
  /** Who created it: tasks are only visible to the same principal ('' when unauthenticated). */
  principal: string;
  /** When the record may be dropped (ms since the epoch). */
  expiresAt: number;
  /** The params of the request that created the task (replayed, with answers, after input). */
  request: Record<string, unknown>;
  /** The final result (`completed`). */
  result?: Record<string, unknown>;
  /** The JSON-RPC error (`failed`). */
  error?: ErrorObject;
  /** Input requests still waiting for an answer (`input_required`). */
  inputRequests?: Record<string, InputRequest>;
  /** Answers gathered so far for the pending input requests. */
  answers?: Record<string, unknown>;
  /** The signed state of the suspended round; never shown to clients. */
  requestState?: string;
}

/** Whether a status is terminal. */
export function isTerminal(status: TaskStatus): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/** Where tasks live. Implementations return copies: changing a returned record changes nothing. */
export interface TaskStore {
  /** Saves a new task; resolves once a `get` for it would find it. */
  create(task: TaskRecord): Promise<void>;
  /** The task, or undefined when unknown or expired. */
  get(taskId: string): Promise<TaskRecord | undefined>;
  /** Replaces a task's record. */
  put(task: TaskRecord): Promise<void>;
  /** Forgets a task. */
  delete(taskId: string): Promise<void>;
}

/** A TaskStore in this process's memory; expired tasks are dropped as new ones arrive. */
export class MemoryTaskStore implements TaskStore {
  readonly #tasks = new Map<string, TaskRecord>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** How many tasks are held (expired ones not yet dropped included). */
  get size(): number {
    return this.#tasks.size;
  }

  async create(task: TaskRecord): Promise<void> {
    this.#sweep();
    if (this.#tasks.has(task.taskId)) throw new Error(`A task '${task.taskId}' already exists.`);
    this.#tasks.set(task.taskId, structuredClone(task));
  }

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const task = this.#tasks.get(taskId);
    if (!task) return undefined;
    if (task.expiresAt <= this.#now()) {
      this.#tasks.delete(taskId);
      return undefined;
    }
    return structuredClone(task);
  }

  async put(task: TaskRecord): Promise<void> {
    if (this.#tasks.has(task.taskId)) this.#tasks.set(task.taskId, structuredClone(task));
  }

  async delete(taskId: string): Promise<void> {
    this.#tasks.delete(taskId);
  }

  /** Drops expired tasks among the oldest few (a bounded amount of work per new task). */
  #sweep(): void {
    const now = this.#now();
    let seen = 0;
    for (const [id, task] of this.#tasks) {
      if (++seen > 32) break;
      if (task.expiresAt <= now) this.#tasks.delete(id);
    }
  }
}
