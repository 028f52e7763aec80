import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderJsonSchemas } from '../../contracts/json-schemas';
import { API_ROUTES } from '../../http/api-routes';
import { renderOpenApi } from '../../http/openapi';

/** Folder of the published JSON Schemas, at the project's root. */
export const SCHEMAS_DIR = path.join(__dirname, '..', '..', 'schemas');

/** File name of the HTTP API's OpenAPI document in `schemas/`. */
export const OPENAPI_FILE_NAME = 'openapi.json';

/** Renders every file of `schemas/`: the JSON Schemas of the contracts and the HTTP API's OpenAPI document. */
export function renderSchemaFiles(): Record<string, string> {
  return { ...renderJsonSchemas(), [OPENAPI_FILE_NAME]: renderOpenApi(API_ROUTES) };
}

/** Runs `mes schemas export`: writes the JSON Schemas of the contracts and the OpenAPI document into `schemas/`. */
export function exportSchemasCommand(): void {
  mkdirSync(SCHEMAS_DIR, { recursive: true });
  for (const [fileName, content] of Object.entries(renderSchemaFiles())) {
    writeFileSync(path.join(SCHEMAS_DIR, fileName), content);
    process.stdout.write(`wrote schemas/${fileName}\n`);
  }
}
