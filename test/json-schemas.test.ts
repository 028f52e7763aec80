import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE_NAME, renderSchemaFiles, SCHEMAS_DIR } from '../cli/commands/schemas';

describe('committed JSON Schemas and OpenAPI document', () => {
  const rendered = renderSchemaFiles();

  it('are exactly the contracts and openapi.json, no more and no less', () => {
    expect(readdirSync(SCHEMAS_DIR).sort()).toEqual(Object.keys(rendered).sort());
    expect(Object.keys(rendered)).toContain(OPENAPI_FILE_NAME);
  });

  it.each(Object.keys(rendered))('%s matches the zod schemas (run `npm run schemas` after a change)', (fileName) => {
    expect(readFileSync(path.join(SCHEMAS_DIR, fileName), 'utf8')).toBe(rendered[fileName]);
  });
});
