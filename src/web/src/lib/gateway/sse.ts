/**
 * A minimal incremental reader of `text/event-stream` (the WHATWG server-sent events format), for
 * streams read with `fetch` (EventSource cannot POST). Only what a chat stream needs: `data:` lines
 * (several are joined by newlines), `event:` names, comments and `\n`, `\r\n` or `\r` line ends.
 */

export interface ServerSentEvent {
  /** `message` unless an `event:` line named it. */
  event: string;
  data: string;
  id?: string;
}

export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #event = '';
  #id: string | undefined;
  #pendingCarriageReturn = false;

  /** Feeds decoded text; returns the events completed by it. */
  push(text: string): ServerSentEvent[] {
    if (this.#pendingCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCarriageReturn = false;
    this.#buffer += text;

    const events: ServerSentEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      if (!match) break;
      // A lone '\r' at the very end may be the first half of a '\r\n' split across chunks.
      if (match[0] === '\r' && match.index === this.#buffer.length - 1) this.#pendingCarriageReturn = true;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** Ends the stream: an event not yet closed by a blank line is dispatched (lenient). */
  end(): ServerSentEvent[] {
    const events: ServerSentEvent[] = [];
    if (this.#buffer) {
      const event = this.#line(this.#buffer);
      this.#buffer = '';
      if (event) events.push(event);
    }
    const last = this.#dispatch();
    if (last) events.push(last);
    return events;
  }

  #line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data': this.#data.push(value); break;
      case 'event': this.#event = value; break;
      case 'id': if (!value.includes('\0')) this.#id = value; break;
      default: break; // `retry` and unknown fields do not matter here
    }
    return undefined;
  }

  #dispatch(): ServerSentEvent | undefined {
    if (this.#data.length === 0) {
      this.#event = '';
      return undefined;
    }
    const event: ServerSentEvent = { event: this.#event || 'message', data: this.#data.join('\n') };
    if (this.#id !== undefined) event.id = this.#id;
    this.#data = [];
    this.#event = '';
    return event;
  }
}

/** Reads a response body as server-sent events, yielding each as soon as it is complete. */
export async function* readEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<ServerSentEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const onAbort = () => { void reader.cancel().catch(() => undefined); };
  signal?.addEventListener('abort', onAbort, { once: true });
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stopped early (or failed) does not want the rest: stop the download.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
