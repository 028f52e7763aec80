import type { Route } from './route';

/** The route a request's method and path select, or why none does. */
export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; pattern: string; allowedMethods: string[] }
  | { kind: 'not-found' };

/** Decodes a path segment; a malformed escape is kept as is, so that the parameter's schema rejects it by name. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Matches a path against a pattern such as `/v1/messages/{id}`; returns its parameters, or null. */
function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const expected = pattern.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) {
    return null;
  }

  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const segment = actual[index]!;
    const placeholder = /^\{(\w+)\}$/.exec(part);
    if (placeholder && segment !== '') {
      params[placeholder[1]!] = decodeSegment(segment);
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

/**
 * Selects the route of a request. A path that some route matches with another method gives `method-not-allowed`
 * with the methods it allows, for the `Allow` header of a 405.
 */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allowedMethods: string[] = [];
  let matchedPattern = '';
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (params === null) {
      continue;
    }
    if (route.method === method) {
      return { kind: 'found', route, params };
    }
    allowedMethods.push(route.method);
    matchedPattern = route.pattern;
  }
  return allowedMethods.length > 0 ? { kind: 'method-not-allowed', pattern: matchedPattern, allowedMethods } : { kind: 'not-found' };
}
