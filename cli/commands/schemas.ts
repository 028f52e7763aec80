import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderJsonSchemas } from '../../contracts/json-schemas';

/** Folder of the published JSON Schemas, at the project's root. */
export const SCHEMAS_DIR = path.join(__dirname, '..', '..', 'schemas');

/** Runs `mes schemas export`: writes the JSON Schemas of the contracts into `schemas/`. */
export function exportSchemasCommand(): void {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [fileName, content] of Object.entries(renderJsonSchemas())) {
    writeFileSync(path.join(SCHEMAS_DIR, fileName), content);
    process.stdout.write(`wrote schemas/${fileName}\n`);
  }
}
