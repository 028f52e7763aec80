import type { Client } from '@temporalio/client';
import type { z } from 'zod';
import type { MesClient } from '../client/mes-client';
import type { PatientHistoryClient } from '../client/patient-history-client';

/** The clients and limits the routes work with. */
export interface ApiServices {
  mes: MesClient;
  /** The Temporal client under `mes`, whose deadlines bound a `?wait=true` request. */
  temporal: Client;
  history: PatientHistoryClient;
  /** Maximum wait of a `?wait=true` request for the final outcome, in ms. */
  maxWaitMs: number;
}

/** A request as a route handler receives it: path and query parameters validated, the body parsed but not validated. */
export interface ApiRequest {
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
  body: unknown;
}

/** A response as a route handler returns it; the server writes `body` as JSON. */
export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** One response of an operation, as the OpenAPI document describes it. */
export interface ResponseDocumentation {
  description: string;
  body?: z.ZodType;
  /** Response headers, by name, with their description. */
  headers?: Record<string, string>;
}

/** The OpenAPI description of a route, beyond what its schemas show. */
export interface RouteDocumentation {
  operationId: string;
  summary: string;
  description: string;
  /** The JSON body's schema; the handler validates the body itself, through the typed clients. */
  requestBody?: z.ZodType;
  responses: Record<number, ResponseDocumentation>;
}

/** One operation of the HTTP API. */
export interface Route {
  method: 'GET' | 'POST';
  /** Path with `{name}` placeholders for path parameters; the request log names the route by it. */
  pattern: string;
  /** Schema of the path parameters, one string field per placeholder. */
  params: z.ZodObject;
  /** Schema of the query parameters; strict, so that a misspelt parameter is rejected instead of ignored. */
  query: z.ZodObject;
  /** True when the route reads a JSON body. */
  readsBody: boolean;
  /** True when the route needs no bearer token. */
  public: boolean;
  documentation: RouteDocumentation;
  handle(request: ApiRequest, services: ApiServices): Promise<ApiResponse>;
}
