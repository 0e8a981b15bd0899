/** MCP extensions on a server: Tasks (`io.modelcontextprotocol/tasks`) and Skills (`io.modelcontextprotocol/skills`). */
export type { BuiltSkill, SkillDefinition, SkillFile } from './skill-files.ts';
export { buildSkill, renderSkillMd, sha256Digest } from './skill-files.ts';
export {
  enableSkills,
  SKILLS_EXTENSION,
  type SkillEntry,
  type Skills,
  type SkillsOptions,
} from './skills.ts';
export {
  isTerminal,
  MemoryTaskStore,
  TASKS_EXTENSION,
  type TaskInfo,
  type TaskRecord,
  type TaskStatus,
  type TaskStore,
} from './task-store.ts';
export { createTasks, enableTasks, Tasks, type TasksOptions, type ToolTaskSettings } from './tasks.ts';
