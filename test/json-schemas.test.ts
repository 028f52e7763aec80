import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJsonSchemas } from '../contracts/json-schemas';

const SCHEMAS_DIR = path.join(__dirname, '..', 'schemas');

describe('committed JSON Schemas', () => {
  const rendered = renderJsonSchemas();

  it('are exactly the contracts, no more and no less', () => {
    expect(readdirSync(SCHEMAS_DIR).sort()).toEqual(Object.keys(rendered).sort());
  });

  it.each(Object.keys(rendered))('%s matches the zod schema (run `npm run schemas` after a change)', (fileName) => {
    expect(readFileSync(path.join(SCHEMAS_DIR, fileName), 'utf8')).toBe(rendered[fileName]);
  });
});
