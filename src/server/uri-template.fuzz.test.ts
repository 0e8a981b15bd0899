import { describe, it } from 'vitest';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';
import { uriTemplateFuzz } from '../../test/fuzz/uri-template.ts';

describe(uriTemplateFuzz.parser, () => {
  for (const property of uriTemplateFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
