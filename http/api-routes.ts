import { z } from 'zod';
import { HISTORY_ROUTE } from './history-route';
import { ITEM_ROUTES } from './item-routes';
import { buildOpenApiDocument } from './openapi';
import type { Route } from './route';

let openApiDocument: unknown = null;

/** `GET /openapi.json`: the document that `mes schemas export` writes to `schemas/openapi.json`. */
const OPENAPI_ROUTE: Route = {
  method: 'GET',
  pattern: '/openapi.json',
  params: z.strictObject({}),
  query: z.strictObject({}),
  readsBody: false,
  // It describes the API and contains no personal data, so that tools can read it without the token.
  public: true,
  documentation: {
    operationId: 'getOpenApiDocument',
    summary: 'Read this OpenAPI document',
    description: 'Needs no token.',
    responses: { 200: { description: 'The OpenAPI 3.1 document' } },
  },
  async handle() {
    openApiDocument ??= buildOpenApiDocument(API_ROUTES);
    return { status: 200, body: openApiDocument };
  },
};

/** Every route of the HTTP API. */
export const API_ROUTES: readonly Route[] = [...ITEM_ROUTES, HISTORY_ROUTE, OPENAPI_ROUTE];
