import { describe, it } from 'vitest';
import { jsonrpcFuzz } from '../../test/fuzz/jsonrpc.ts';
import { runFuzzProperty } from '../../test/fuzz/runner.ts';

describe(jsonrpcFuzz.parser, () => {
  for (const property of jsonrpcFuzz.properties) it(property.name, () => runFuzzProperty(property));
});
