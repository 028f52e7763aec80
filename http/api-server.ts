import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { API_ROUTES } from './api-routes';
import { hasBearerToken } from './bearer-token';
import { errorResponseOf } from './error-response';
import { HttpError } from './http-error';
import { readJsonBody, validateParameters } from './request-input';
import type { ApiResponse, ApiServices } from './route';
import { matchRoute } from './route-matcher';

/** Options of `startApiServer`. */
export interface ApiServerOptions {
  /** Address to listen on; anything but a loopback address needs a token. */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** Bearer token that every request but `GET /openapi.json` must carry; none when undefined. */
  token: string | undefined;
  services: ApiServices;
  logger: Logger;
}

/** A running HTTP API server. */
export interface RunningApiServer {
  /** Base URL, for example `http://127.0.0.1:8235`. */
  url: string;
  stop(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Writes a response as JSON. Health data must stay out of caches, so every response forbids storing it. */
function writeJson(response: ServerResponse, requestId: string, apiResponse: ApiResponse): void {
  response.writeHead(apiResponse.status, {
    ...apiResponse.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'X-Request-Id': requestId,
  });
  response.end(JSON.stringify(apiResponse.body));
}

/** Checks the token, the route, the parameters and the body, then runs the route; every failure raises. */
async function handleRequest(request: IncomingMessage, options: ApiServerOptions, onRoute: (pattern: string) => void): Promise<ApiResponse> {
  // The base only completes the relative request target; the host header plays no part.
  const url = new URL(request.url ?? '/', 'http://api.invalid');
  const match = matchRoute(API_ROUTES, request.method ?? '', url.pathname);
  if (match.kind !== 'not-found') {
    onRoute(match.kind === 'found' ? match.route.pattern : match.pattern);
  }

  // The token is checked before a 404 or 405, so that a caller without it learns nothing of which routes exist.
  const isPublic = match.kind === 'found' && match.route.public;
  if (options.token !== undefined && !isPublic && !hasBearerToken(request.headers.authorization, options.token)) {
    const message = "Authentification requise : ajoutez l'en-tête « Authorization: Bearer <jeton> » avec le jeton de ce service.";
    throw new HttpError(401, 'UNAUTHORIZED', message, { 'WWW-Authenticate': 'Bearer realm="mon-espace-sante"' });
  }
  if (match.kind === 'not-found') {
    const message = `Route inconnue : ${request.method} sur ce chemin ; la liste des routes est dans /openapi.json.`;
    throw new HttpError(404, 'ROUTE_NOT_FOUND', message);
  }
  if (match.kind === 'method-not-allowed') {
    const allowed = match.allowedMethods.join(', ');
    const message = `Méthode ${request.method} non permise sur ${match.pattern} ; méthodes permises : ${allowed}.`;
    throw new HttpError(405, 'METHOD_NOT_ALLOWED', message, { Allow: allowed });
  }

  const { route } = match;
  const params = validateParameters(route.params, match.params, 'path');
  const query = validateParameters(route.query, Object.fromEntries(url.searchParams), 'query');
  const body = route.readsBody ? await readJsonBody(request) : undefined;
  return route.handle({ params, query, body }, options.services);
}

/**
 * Starts the HTTP API: the typed clients behind JSON routes, described by `GET /openapi.json`. It logs one
 * line per request with the method, the route's pattern, the status and the duration. It never logs the path,
 * because a mistyped URL could contain an INS, and never the body.
 */
export async function startApiServer(options: ApiServerOptions): Promise<RunningApiServer> {
  if (options.token === undefined && !isLoopback(options.host)) {
    throw new Error(
      `MES_HTTP_HOST=${options.host} is not a loopback address: set MES_HTTP_TOKEN, so that only holders of the token reach health data`,
    );
  }
  const { logger } = options;

  const server = http.createServer((request, response) => {
    const startedAt = performance.now();
    const requestId = randomUUID();
    let route: string | null = null;
    response.once('close', () => {
      const durationMs = Math.round((performance.now() - startedAt) * 10) / 10;
      const completed = response.writableFinished;
      logger.info({ requestId, method: request.method, route, status: response.statusCode, durationMs, completed }, 'HTTP request');
    });

    handleRequest(request, options, (pattern) => {
      route = pattern;
    }).then(
      (result) => writeJson(response, requestId, result),
      (error: unknown) => {
        const known = errorResponseOf(error);
        if (known) {
          writeJson(response, requestId, known);
          return;
        }
        logger.error({ err: error, requestId, method: request.method, route }, 'HTTP request failed');
        writeJson(response, requestId, {
          status: 500,
          body: {
            errorCode: 'INTERNAL_ERROR',
            message: `Erreur interne du service : réessayez plus tard. Si l'erreur persiste, transmettez à l'exploitant l'identifiant de requête ${requestId}.`,
          },
        });
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
  logger.info({ url, tokenRequired: options.token !== undefined }, 'HTTP API listening');

  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        // Requests in flight finish (a `?wait=true` one within its deadline); idle keep-alive connections close now.
        server.close(() => resolve());
        server.closeIdleConnections();
        logger.info({ url }, 'HTTP API stopped');
      }),
  };
}
