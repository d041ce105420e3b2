// Cross-origin access to `serve`, off unless asked for: the playground page (another origin, e.g.
// http://localhost:5173) may then use a served model as its LLM judge or rubric assistant with no API key.
// Only the origins named with --allow-origin get CORS headers ("*" allows any page, which is what anyone
// who can load a web page on this machine could then use); every other origin is answered without them,
// so the browser refuses to hand the reply to that page.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CliError } from './load-config.ts';

export type AllowedOrigins = readonly string[];

/** "--allow-origin http://localhost:5173,https://example.org" or "*" -> the list; one message for a bad entry. */
export function parseAllowedOrigins(flag: string | undefined): AllowedOrigins {
  if (flag === undefined) return [];
  const origins = flag.split(',').map((s) => s.trim()).filter(Boolean);
  for (const o of origins) {
    if (o === '*') continue;
    let url: URL;
    try {
      url = new URL(o);
    } catch {
      throw new CliError(`--allow-origin: "${o}" is not an origin (like http://localhost:5173, or *)`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== o.replace(/\/$/, '')) {
      throw new CliError(`--allow-origin: "${o}" is not an origin (scheme://host[:port], no path), e.g. ${url.origin}`);
    }
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

/**
 * Adds the CORS headers for an allowed Origin. Returns true when the request was a preflight (OPTIONS),
 * which it has answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: AllowedOrigins): boolean {
  const origin = req.headers.origin;
  const ok = origin !== undefined && (allowed.includes('*') || allowed.includes(origin));
  if (ok) {
    res.setHeader('access-control-allow-origin', allowed.includes('*') ? '*' : origin);
    res.setHeader('vary', 'origin');
  }
  if (req.method !== 'OPTIONS') return false;
  if (ok) {
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('access-control-max-age', '600');
    // Chromium's Private Network Access: a public page calling this loopback server asks first.
    if (req.headers['access-control-request-private-network'] === 'true') res.setHeader('access-control-allow-private-network', 'true');
  }
  res.writeHead(ok ? 204 : 403, { 'content-length': '0' });
  res.end();
  return true;
}
