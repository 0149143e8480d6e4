import { vi } from 'vitest';
import type { WebSocketLike } from '../src/lib/gateway';

export interface Call {
  url: string;
  init: RequestInit;
  headers: Record<string, string>;
}

/** Replaces global fetch with a function answering from `respond`; returns the recorded calls. */
export function stubFetch(respond: (url: string, init: RequestInit) => Response | Promise<Response>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', vi.fn(async (input: string, init: RequestInit = {}) => {
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v]));
    calls.push({ url: String(input), init, headers });
    return respond(String(input), init);
  }));
  return calls;
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** A window.location whose assign() is recorded. */
export function stubLocation(href = 'http://127.0.0.1:5000/chat?x=1'): { assign: ReturnType<typeof vi.fn> } {
  const url = new URL(href);
  const location = { href, protocol: url.protocol, host: url.host, assign: vi.fn() };
  vi.stubGlobal('location', location);
  return location;
}

/** A stream the test writes to piece by piece, to see what the reader does before the end. */
export function controlledStream(): { stream: ReadableStream<Uint8Array>; write(text: string): void; close(): void; error(e: unknown): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start(c) { controller = c; } });
  const encoder = new TextEncoder();
  return {
    stream,
    write: (text) => controller.enqueue(encoder.encode(text)),
    close: () => controller.close(),
    error: (e) => controller.error(e),
  };
}

interface Sent {
  jsonrpc: string;
  id?: number | string;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string };
}

/** The server's side of a WebSocket, driven by the test. */
export class FakeSocket implements WebSocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  protocol = '';
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  sent: Sent[] = [];
  closedByClient: { code?: number; reason?: string } | undefined;

  constructor(readonly url: string, readonly protocols: string[]) {
    FakeSocket.all.push(this);
  }

  static get last(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1];
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = 3;
  }

  // --- the server's actions ---
  open(): void {
    this.readyState = 1;
    this.protocol = 'mcp';
    this.onopen?.({});
  }

  push(message: unknown): void {
    this.onmessage?.({ data: JSON.stringify(message) });
  }

  drop(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  requests(method: string): Sent[] {
    return this.sent.filter((m) => m.method === method && m.id !== undefined);
  }

  notifications(method: string): Sent[] {
    return this.sent.filter((m) => m.method === method && m.id === undefined);
  }

  /** Answers the last request of `method` with a result. */
  answer(method: string, result: unknown): void {
    const request = this.requests(method).at(-1);
    if (!request) throw new Error(`no ${method} request was sent`);
    this.push({ jsonrpc: '2.0', id: request.id, result });
  }
}

export const INITIALIZE_RESULT = {
  protocolVersion: '2025-11-25',
  capabilities: { tools: {} },
  serverInfo: { name: 'mcp-servers/everything', version: '2.0.0' },
};

/** Lets pending promise callbacks run (works with fake timers too). */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
