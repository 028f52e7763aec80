import { z } from 'zod';
import packageJson from '../package.json';
import { rejectedStatusSchema } from '../contracts/item-status';
import { errorBodySchema } from './http-error';
import { MAX_BODY_BYTES } from './request-input';
import type { ResponseDocumentation, Route } from './route';

/** JSON Schema as `z.toJSONSchema` returns it. */
type JsonSchema = Record<string, unknown>;

/** Responses that the server itself gives, described once here instead of in every route. */
const COMMON_RESPONSES = {
  400: 'INVALID_REQUEST: the body, a path parameter or a query parameter is invalid; `fields` names each one with a French message. Nothing was started or stored.',
  401: 'UNAUTHORIZED: the server runs with MES_HTTP_TOKEN and the request has no `Authorization: Bearer <token>` header with it',
  413: `PAYLOAD_TOO_LARGE: the body is over ${MAX_BODY_BYTES} bytes`,
  415: 'UNSUPPORTED_MEDIA_TYPE: the body is not declared as `application/json` in UTF-8',
  500: 'INTERNAL_ERROR: a service failed; the server logs the error under the request id of the `X-Request-Id` header',
} as const;

function componentRef(id: string): { $ref: string } {
  return { $ref: `#/components/schemas/${id}` };
}

/** Returns a schema's title, which names it under `components.schemas`. */
function titleOf(schema: z.ZodType): string {
  const title = z.globalRegistry.get(schema)?.title;
  if (!title) {
    throw new Error('A schema of the HTTP API has no title in its meta; give it one, it names the schema in the OpenAPI document');
  }
  return title;
}

/** Drops the keywords that a standalone JSON Schema has and an OpenAPI component must not repeat. */
function asEmbeddedSchema(schema: JsonSchema): JsonSchema {
  const { $schema: _dialect, $id: _id, ...embedded } = schema;
  return embedded;
}

/** Builds the OpenAPI parameters of a route from its path and query schemas. */
function parametersOf(route: Route): JsonSchema[] {
  const parameters: JsonSchema[] = [];
  for (const [location, schema] of [['path', route.params], ['query', route.query]] as const) {
    for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const fieldSchema = asEmbeddedSchema(z.toJSONSchema(field, { io: 'input' }) as JsonSchema);
      const { description, ...rest } = fieldSchema;
      parameters.push({
        name,
        in: location,
        required: location === 'path' || !field.safeParse(undefined).success,
        ...(description === undefined ? {} : { description }),
        schema: rest,
      });
    }
  }
  return parameters;
}

/**
 * Builds the OpenAPI 3.1 document of the routes. Every body schema comes from the zod schemas the server and
 * the workflows validate with, converted by `z.toJSONSchema` (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
export function buildOpenApiDocument(routes: readonly Route[]): JsonSchema {
  // Each body schema is registered under its title, so that it appears once under components and operations refer to it.
  const registry = z.registry<{ id: string }>();
  const referTo = (schema: z.ZodType) => {
    const id = titleOf(schema);
    if (!registry.has(schema)) {
      registry.add(schema, { id });
    }
    return componentRef(id);
  };
  referTo(errorBodySchema);
  referTo(rejectedStatusSchema);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<number, ResponseDocumentation> = { ...route.documentation.responses };
    responses[400] = { description: COMMON_RESPONSES[400] };
    responses[500] = { description: COMMON_RESPONSES[500] };
    if (!route.public) {
      responses[401] = { description: COMMON_RESPONSES[401] };
    }
    if (route.readsBody) {
      responses[413] = { description: COMMON_RESPONSES[413] };
      responses[415] = { description: COMMON_RESPONSES[415] };
    }

    const operationResponses: Record<string, unknown> = {};
    // Integer keys iterate in ascending order, so the statuses come out sorted.
    for (const [status, response] of Object.entries(responses)) {
      const body = response.body ?? (Number(status) >= 400 ? errorBodySchema : undefined);
      operationResponses[status] = {
        description: response.description,
        ...(response.headers
          ? {
              headers: Object.fromEntries(
                Object.entries(response.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }]),
              ),
            }
          : {}),
        ...(body ? { content: { 'application/json': { schema: referTo(body) } } } : {}),
      };
    }

    const { operationId, summary, description, requestBody } = route.documentation;
    const parameters = parametersOf(route);
    paths[route.pattern] ??= {};
    paths[route.pattern]![route.method.toLowerCase()] = {
      operationId,
      summary,
      description,
      ...(route.public ? { security: [] } : {}),
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(requestBody ? { requestBody: { required: true, content: { 'application/json': { schema: referTo(requestBody) } } } } : {}),
      responses: operationResponses,
    };
  }

  const generated = z.toJSONSchema(registry, { io: 'input', uri: (id) => componentRef(id).$ref });
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([id, schema]) => [id, asEmbeddedSchema(schema as JsonSchema)]));

  return {
    openapi: '3.1.0',
    info: {
      title: 'Mon espace santé delivery orchestrator',
      version: packageJson.version,
      description:
        'Submit messages, documents, consultations and account events, read their status and a holder\'s history. Error messages are in French, for the professional; `errorCode` is stable.',
    },
    security: [{ bearerToken: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'Needed by every operation but GET /openapi.json when the server runs with MES_HTTP_TOKEN',
        },
      },
    },
  };
}

/** Renders the OpenAPI document as written to `schemas/openapi.json`. */
export function renderOpenApi(routes: readonly Route[]): string {
  return JSON.stringify(buildOpenApiDocument(routes), null, 2) + '\n';
}
