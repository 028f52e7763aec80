import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Logger } from 'pino';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../workflows/search-attributes';

/**
 * Registers the orchestrator's custom search attributes in the namespace when some are missing. Workflows set
 * them, and a workflow that sets an unregistered one fails its task, so workers and tests call this at start. On
 * a cluster where this connection may not change the namespace (Temporal Cloud with a restricted key, say), the
 * attributes must be created by an administrator, and the error names them.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string, logger: Logger): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = SEARCH_ATTRIBUTE_DEFINITIONS.filter((definition) => !known.has(definition.name));
  if (missing.length === 0) {
    return;
  }

  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((definition) => [definition.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${definition.type}`]])),
    });
  } catch (error) {
    const names = missing.map((definition) => `${definition.name} (${definition.type})`).join(', ');
    throw new Error(`Could not register the search attributes ${names} in namespace ${namespace}; create them with "temporal operator search-attribute create"`, {
      cause: error,
    });
  }
  logger.info({ namespace, searchAttributes: missing.map((definition) => definition.name) }, 'Search attributes registered');
}
