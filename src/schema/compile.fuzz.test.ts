import { describe, it } from 'vitest';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';
import { schemaFuzz } from '../../test/fuzz/schema.ts';

describe(schemaFuzz.parser, () => {
  for (const property of schemaFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
