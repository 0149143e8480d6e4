import { GatewayError, isAbortError } from './errors';
import { json, send } from './http';
import { readEvents } from './sse';

/**
 * `POST /api/v2/chat`: the gateway forwards it to the AI server with the user's access token and
 * passes the answer back unchanged (a stream is not buffered).
 */

export type ChatRole = 'user' | 'assistant' | 'system';

export interface ChatMessage {
  role: ChatRole | (string & {});
  content: string;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ChatResult {
  id?: string;
  model?: string;
  provider?: string;
  finish_reason?: string;
  message: ChatMessage;
  usage?: ChatUsage;
}

export interface ChatOptions {
  /** Stream the answer as server-sent events; `onDelta` sees each piece as it arrives. Default false. */
  stream?: boolean;
  /** The conversation's contexts, sent along as they are (e.g. the items of `contexts(id)`). */
  contexts?: unknown[];
  /** A model name; absent, the AI server chooses. */
  model?: string;
  signal?: AbortSignal;
  /** Called for every streamed piece, with the text so far. */
  onDelta?: (delta: string, text: string) => void;
}

/** A stream that ended (connection lost, gateway aborted it) before its final event. */
export class StreamInterruptedError extends GatewayError {
  constructor(
    /** What had arrived before the stream stopped. */
    readonly partial: string,
    description = 'The answer stopped before it was complete; the chat server or the connection failed.',
  ) {
    super(502, 'stream_interrupted', description);
  }
}

export const CHAT_PATH = '/api/v2/chat';

/** Sends the messages and returns the assistant's answer with its model and token usage. */
export async function chat(messages: readonly ChatMessage[], options: ChatOptions = {}): Promise<ChatResult> {
  const stream = options.stream ?? false;
  const body: Record<string, unknown> = {
    messages: messages.map(({ role, content }) => ({ role, content })),
    stream,
  };
  if (options.contexts !== undefined) body.contexts = options.contexts;
  if (options.model) body.model = options.model;

  const response = await send('POST', CHAT_PATH, body, {
    signal: options.signal,
    headers: { Accept: stream ? 'text/event-stream, application/json' : 'application/json' },
  });

  const contentType = response.headers.get('Content-Type') ?? '';
  if (!contentType.toLowerCase().includes('text/event-stream')) {
    // Not streamed (asked so, or the server chose to answer at once).
    const result = normalize(await json<unknown>(response));
    if (stream && result.message.content) options.onDelta?.(result.message.content, result.message.content);
    return result;
  }
  if (!response.body) throw new GatewayError(response.status, 'invalid_response', 'The streamed answer has no body.');
  return readStream(response.body, options);
}

/** After `[DONE]` the rest of the body is read to its end (so the exchange completes normally), for this long at most. */
const DRAIN_AFTER_DONE_MS = 2000;

async function readStream(body: ReadableStream<Uint8Array>, options: ChatOptions): Promise<ChatResult> {
  let content = '';
  let done = false;
  const meta: Omit<ChatResult, 'message'> = {};
  // Stops reading: after the drain period, or when the caller aborts (fetch aborts its body by
  // itself, but a body that did not come from that fetch would not be).
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let drainTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    for await (const event of readEvents(body, stop.signal)) {
      if (done) continue;
      if (event.data === '[DONE]') {
        done = true;
        drainTimer = setTimeout(() => stop.abort(), DRAIN_AFTER_DONE_MS);
        continue;
      }
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(event.data) as Record<string, unknown>;
      } catch {
        continue; // not JSON: nothing a chat client can use
      }
      if (!data || typeof data !== 'object') continue;
      if (data.error !== undefined) throw streamedError(data.error, content);
      if (typeof data.delta === 'string') {
        content += data.delta;
        options.onDelta?.(data.delta, content);
      }
      const message = data.message as Partial<ChatMessage> | undefined;
      if (message && typeof message.content === 'string' && typeof data.delta !== 'string') content = message.content;
      if (typeof data.id === 'string') meta.id = data.id;
      if (typeof data.model === 'string') meta.model = data.model;
      if (typeof data.provider === 'string') meta.provider = data.provider;
      if (typeof data.finish_reason === 'string') meta.finish_reason = data.finish_reason;
      if (isUsage(data.usage)) meta.usage = data.usage;
    }
  } catch (error) {
    // Once `[DONE]` came the answer is complete: what happens to the rest of the body does not matter.
    if (!done) {
      if (isAbortError(error) || error instanceof GatewayError) throw error;
      throw new StreamInterruptedError(content);
    }
  } finally {
    clearTimeout(drainTimer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (!done) options.signal?.throwIfAborted();

  // `[DONE]` ends a complete stream; a final event with the usage is as good when `[DONE]` is missing.
  if (!done && !meta.usage) throw new StreamInterruptedError(content);
  return { ...meta, message: { role: 'assistant', content } };
}

function normalize(value: unknown): ChatResult {
  if (!value || typeof value !== 'object') {
    throw new GatewayError(200, 'invalid_response', 'The chat answer is not a JSON object.');
  }
  const data = value as Record<string, unknown>;
  const message = data.message as Partial<ChatMessage> | undefined;
  if (!message || typeof message.content !== 'string') {
    throw new GatewayError(200, 'invalid_response', 'The chat answer has no message.content.');
  }
  const result: ChatResult = { message: { role: typeof message.role === 'string' ? message.role : 'assistant', content: message.content } };
  if (typeof data.id === 'string') result.id = data.id;
  if (typeof data.model === 'string') result.model = data.model;
  if (typeof data.provider === 'string') result.provider = data.provider;
  if (typeof data.finish_reason === 'string') result.finish_reason = data.finish_reason;
  if (isUsage(data.usage)) result.usage = data.usage;
  return result;
}

function isUsage(value: unknown): value is ChatUsage {
  if (!value || typeof value !== 'object') return false;
  const usage = value as Record<string, unknown>;
  return typeof usage.prompt_tokens === 'number' && typeof usage.completion_tokens === 'number' && typeof usage.total_tokens === 'number';
}

function streamedError(error: unknown, partial: string): GatewayError {
  if (typeof error === 'string') return new StreamInterruptedError(partial, error);
  const detail = (error ?? {}) as Record<string, unknown>;
  const message = typeof detail.message === 'string' ? detail.message : 'The chat server reported an error in the stream.';
  return new StreamInterruptedError(partial, message);
}
