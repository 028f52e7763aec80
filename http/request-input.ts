import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { MesRejectionError } from '../client/rejection-error';
import { MAX_DOCUMENT_BYTES } from '../contracts/document-request';
import { describeZodError, INVALID_REQUEST, jsonErrorPosition } from '../contracts/invalid-request';
import { HttpError } from './http-error';

/**
 * Maximum request body, in bytes. A document of `MAX_DOCUMENT_BYTES` (1 MiB) takes 1,398,104 bytes in base64.
 * A JSON encoder may escape its `/` as `\/` or its `+` as `\u002B`, which adds up to about 10% for random
 * content. The other fields take a few kilobytes, so 2 MiB accepts every valid document and still bounds what
 * the server buffers.
 */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

function invalidRequest(message: string): MesRejectionError {
  return new MesRejectionError(INVALID_REQUEST, `Requête invalide : ${message}`);
}

function tooLarge(): HttpError {
  return new HttpError(
    413,
    'PAYLOAD_TOO_LARGE',
    `Requête trop volumineuse : le corps dépasse ${MAX_BODY_BYTES} octets. Un document est limité à ${MAX_DOCUMENT_BYTES} octets une fois décodé.`,
  );
}

/** Rejects a body that is not JSON in UTF-8, the only encoding JSON allows between systems (RFC 8259, section 8.1). */
function checkContentType(contentType: string | undefined): void {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (mediaType !== 'application/json' || (charset !== undefined && charset !== 'utf-8')) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Type de contenu non pris en charge (${contentType ?? 'absent'}) : envoyez un objet JSON en UTF-8 avec l'en-tête « Content-Type: application/json ».`,
    );
  }
}

/** Reads the whole body into memory, raising `PAYLOAD_TOO_LARGE` as soon as it passes `MAX_BODY_BYTES`. */
async function readBodyBytes(request: IncomingMessage): Promise<Buffer> {
  const declaredLength = Number(request.headers['content-length'] ?? 0);
  if (declaredLength > MAX_BODY_BYTES) {
    throw tooLarge();
  }

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES) {
        // The rest of the body is read and dropped, so that the client gets the 413 once it has sent it all.
        request.off('data', onData);
        request.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', () => reject(invalidRequest('corps de la requête interrompu avant sa fin ; renvoyez la requête.')));
  });
}

/**
 * Reads a request's JSON body: `UNSUPPORTED_MEDIA_TYPE` (415) unless it is declared as JSON in UTF-8,
 * `PAYLOAD_TOO_LARGE` (413) past `MAX_BODY_BYTES`, `INVALID_REQUEST` (400) when it is empty or not JSON. The
 * value is returned unvalidated: the typed clients validate it against its schema.
 */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  checkContentType(request.headers['content-type']);
  const bytes = await readBodyBytes(request);
  if (bytes.length === 0) {
    throw invalidRequest('corps vide ; envoyez un objet JSON.');
  }

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalidRequest("le corps n'est pas du texte UTF-8 valide ; encodez le JSON en UTF-8.");
  }

  try {
    return JSON.parse(text);
  } catch (error) {
    throw invalidRequest(`le corps n'est pas un JSON valide${jsonErrorPosition(error)} ; vérifiez les guillemets, les virgules et les accolades.`);
  }
}

/**
 * Validates path or query parameters against a route's schema, raising `INVALID_REQUEST` with French messages
 * that name each parameter and its location (path or query).
 */
export function validateParameters(
  schema: z.ZodObject,
  values: Record<string, string>,
  location: 'path' | 'query',
): Record<string, string | undefined> {
  const parsed = schema.safeParse(values);
  if (parsed.success) {
    // The parameter schemas of the routes have string fields only, since a URL carries nothing else.
    return parsed.data as Record<string, string | undefined>;
  }

  const fields = describeZodError(parsed.error);
  const place = location === 'path' ? 'paramètre de chemin' : "paramètre d'URL";
  const parts = fields.map((problem) => `${place} « ${problem.field} » : ${problem.message}`);
  throw new MesRejectionError(INVALID_REQUEST, `Requête invalide : ${parts.join(' ; ')}.`, fields);
}
