// A scripted OpenAI-compatible chat-completions server on 127.0.0.1 for tests (unit tests and the e2e specs):
// a real node:http server whose reply to the n-th request is whatever the test scripts (a content string, an
// HTTP status with a raw body, a delay, or no answer at all). It records every request and sends CORS headers
// (answering the preflight), so a page on another localhost port can call it too. Test-only: nothing in the
// app or the CLI imports it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenChatRequest {
  url: string;
  authorization: string | undefined;
  body: { model: string; messages: { role: string; content: string }[]; temperature?: number; max_tokens?: number };
}

/** What the server does with one request. */
export type ScriptedReply =
  /** An assistant message with this content (status 200, OpenAI's response shape). */
  | string
  | { content?: string; status?: number; rawBody?: string; delayMs?: number; hang?: boolean };

export type Script = (n: number, req: SeenChatRequest) => ScriptedReply;

export interface ScriptedChatServer {
  /** "http://127.0.0.1:PORT/v1" */
  baseUrl: string;
  /** Requests seen so far (cleared by `script`). */
  seen: SeenChatRequest[];
  /** Replace the script and forget the requests seen. */
  script(next: Script): void;
  close(): Promise<void>;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, authorization',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
};

function completionBody(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  });
}

export async function startScriptedChatServer(initial: Script = () => 'Score: 5'): Promise<ScriptedChatServer> {
  let current = initial;
  const seen: SeenChatRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      res.end();
      return;
    }
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      let body: SeenChatRequest['body'];
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400, { ...CORS, 'content-type': 'application/json' });
        res.end('{"error":{"message":"body is not JSON"}}');
        return;
      }
      const seenReq = { url: req.url ?? '', authorization: req.headers.authorization, body };
      seen.push(seenReq);
      const r = current(seen.length - 1, seenReq);
      const spec = typeof r === 'string' ? { content: r } : r;
      if (spec.hang) return;
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(spec.status ?? 200, { ...CORS, 'content-type': 'application/json' });
        res.end(spec.rawBody ?? completionBody(spec.content ?? ''));
      };
      if (spec.delayMs) setTimeout(send, spec.delayMs);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    script(next) {
      current = next;
      seen.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
