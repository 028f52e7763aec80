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

describe('JSON contracts', () => {
  // Every workflow the worker registers, from the bundle's entry point, needs its input and result published.
  const workflowNames = [...readFileSync(path.join(__dirname, '..', 'workflows', 'index.ts'), 'utf8').matchAll(/export \{ ([^}]+) \}/g)]
    .flatMap((match) => match[1]!.split(',').map((name) => name.trim()));
  const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const published = new Set(readdirSync(SCHEMAS_DIR));
  // A message and a document share the result contract of a delivery.
  const resultFile = (name: string) => (name === 'sendMessage' || name === 'feedDocument' ? 'delivery.result.schema.json' : `${kebab(name)}.result.schema.json`);

  it.each(workflowNames)('cover the input and result of %s', (name) => {
    expect(published).toContain(`${kebab(name)}.input.schema.json`);
    expect(published).toContain(resultFile(name));
  });
});
