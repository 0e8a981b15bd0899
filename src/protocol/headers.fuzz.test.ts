import { describe, it } from 'vitest';
import { headersFuzz } from '../../test/fuzz/headers.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(headersFuzz.parser, () => {
  for (const property of headersFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
