import { describe, it } from 'vitest';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';
import { serverFuzz } from '../../test/fuzz/server.ts';

describe(serverFuzz.parser, () => {
  for (const property of serverFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
