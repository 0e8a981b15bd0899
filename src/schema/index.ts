/** The schema layer: Standard Schema and JSON Schema compiled once into a JSON Schema and a validator. */
export { autoValidator, canGenerateCode } from './auto.ts';
export { cfworkerValidator } from './cfworker.ts';
export * from './compile.ts';
export * from './defaults.ts';
export { type Dialect, SUPPORTED_DIALECTS } from './dialects.ts';
export { FORMATS } from './formats.ts';
export { failure, formatPath } from './issues.ts';
export { ajvValidator } from './json-schema.ts';
export * from './standard.ts';
export * from './types.ts';
