import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';

/** A payload as the Temporal Web UI sends it to a remote codec: metadata values and data in base64. */
interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

function fromJson(payload: JsonPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    metadata[key] = Buffer.from(value, 'base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

function toJson(payload: Payload): JsonPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) {
    metadata[key] = Buffer.from(value ?? []).toString('base64');
  }
  return { metadata, data: Buffer.from(payload.data ?? []).toString('base64') };
}

/** A running codec server. */
export interface RunningCodecServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the remote codec the Temporal Web UI calls to show decoded payloads (`POST /decode`, `POST /encode`,
 * the UI's JSON format) on 127.0.0.1. Only the listed origins may call it from a browser, since it returns
 * health data in clear.
 */
export async function startCodecServer(
  codec: PayloadCodec,
  options: { port: number; allowedOrigins: string[] },
): Promise<RunningCodecServer> {
  const server = http.createServer((request, response) => {
    const origin = request.headers.origin;
    if (origin && options.allowedOrigins.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', origin);
      response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
      response.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    const route = request.url?.split('?')[0];
    if (request.method !== 'POST' || (route !== '/decode' && route !== '/encode')) {
      response.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found: use POST /decode or POST /encode\n');
      return;
    }

    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { payloads?: JsonPayload[] };
          const payloads = (body.payloads ?? []).map(fromJson);
          const result = route === '/decode' ? await codec.decode(payloads) : await codec.encode(payloads);
          response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ payloads: result.map(toJson) }));
        } catch (error) {
          response.writeHead(400, { 'Content-Type': 'text/plain' }).end(`Invalid codec request: ${(error as Error).message}\n`);
        }
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
