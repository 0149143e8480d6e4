import { describe, expect, it, vi } from 'vitest';
import { chat, contexts, deleteContext, GatewayError, SseParser, StreamInterruptedError, storeContext, applyContextUpdate, callTool } from '../src/lib/gateway';
import { controlledStream, jsonResponse, stubFetch } from './helpers';

const usage = { prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 };

describe('chat', () => {
  it('POST the messages with X-CSRF and return message, model and usage', async () => {
    const calls = stubFetch(() => jsonResponse(200, { id: 'c1', model: 'sample-1', provider: 'sample', message: { role: 'assistant', content: 'Echo: hi' }, usage }));
    const result = await chat([{ role: 'user', content: 'hi' }], { contexts: [{ id: 'x', content: 'c' }], model: 'sample-1' });

    expect(result).toEqual({ id: 'c1', model: 'sample-1', provider: 'sample', message: { role: 'assistant', content: 'Echo: hi' }, usage });
    expect(calls[0].url).toBe('/api/v2/chat');
    expect(calls[0].headers['x-csrf']).toBe('1');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      messages: [{ role: 'user', content: 'hi' }], stream: false, contexts: [{ id: 'x', content: 'c' }], model: 'sample-1',
    });
  });

  it('hand each streamed delta over as it arrives, before the stream ends', async () => {
    const body = controlledStream();
    stubFetch(() => new Response(body.stream, { status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' } }));
    const deltas: string[] = [];
    const onDelta = vi.fn((delta: string) => { deltas.push(delta); });
    const answer = chat([{ role: 'user', content: 'hello there' }], { stream: true, onDelta });

    body.write('data: {"delta":"Echo: "}\n\n');
    await vi.waitFor(() => expect(deltas).toEqual(['Echo: ']));
    // An event split across chunks, with CRLF line ends split too.
    body.write('data: {"delta":"hel');
    body.write('lo "}\r');
    body.write('\n\r\n');
    await vi.waitFor(() => expect(deltas).toEqual(['Echo: ', 'hello ']));
    expect(onDelta).toHaveBeenLastCalledWith('hello ', 'Echo: hello ');

    body.write('data: {"delta":"there"}\n\ndata: {"id":"c2","model":"sample-1","provider":"sample","finish_reason":"stop","usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}}\n\n');
    body.write('data: [DONE]\n\n');
    body.close();

    await expect(answer).resolves.toEqual({
      id: 'c2', model: 'sample-1', provider: 'sample', finish_reason: 'stop',
      message: { role: 'assistant', content: 'Echo: hello there' }, usage,
    });
  });

  it('report a stream cut off midway as stream_interrupted, with what had arrived', async () => {
    const body = controlledStream();
    stubFetch(() => new Response(body.stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    const answer = chat([{ role: 'user', content: 'x' }], { stream: true });
    body.write('data: {"delta":"Echo: "}\n\n');
    body.close();
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({ code: 'stream_interrupted', partial: 'Echo: ' });
  });

  it('read the body to its end after [DONE], but not for ever', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const body = controlledStream();
      stubFetch(() => new Response(body.stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
      const answer = chat([{ role: 'user', content: 'x' }], { stream: true });
      body.write('data: {"delta":"Echo: x"}\n\ndata: [DONE]\n\n');
      let settled = false;
      void answer.then(() => { settled = true; });
      await vi.advanceTimersByTimeAsync(1000);
      expect(settled).toBe(false); // still draining: the exchange is left to end by itself
      await vi.advanceTimersByTimeAsync(1000);
      await expect(answer).resolves.toMatchObject({ message: { content: 'Echo: x' } });
    } finally {
      vi.useRealTimers();
    }
  });

  it('stop reading when aborted', async () => {
    const body = controlledStream();
    stubFetch(() => new Response(body.stream, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    const abort = new AbortController();
    const answer = chat([{ role: 'user', content: 'x' }], { stream: true, signal: abort.signal });
    body.write('data: {"delta":"Echo: "}\n\n');
    await new Promise((r) => setTimeout(r, 10));
    abort.abort();
    await expect(answer).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('turn gateway errors into GatewayError (502 upstream down, 429 with Retry-After)', async () => {
    stubFetch(() => jsonResponse(502, { error: 'upstream_unavailable', error_description: 'The chat server is unavailable.' }));
    await expect(chat([{ role: 'user', content: 'x' }], { stream: true })).rejects.toMatchObject({ status: 502, code: 'upstream_unavailable' });
    stubFetch(() => jsonResponse(429, { error: 'rate_limited', error_description: 'Too many requests; retry in 3 s.' }, { 'Retry-After': '3' }));
    const error = await chat([{ role: 'user', content: 'x' }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfter: 3 });
  });
});

describe('SseParser', () => {
  it('join multi-line data, skip comments, name events', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nevent: update\ndata: a\ndata: b\nid: 7\n\ndata:c')).toEqual([{ event: 'update', data: 'a\nb', id: '7' }]);
    expect(parser.push('\n\n')).toEqual([{ event: 'message', data: 'c', id: '7' }]);
    expect(parser.push('data: tail')).toEqual([]);
    expect(parser.end()).toEqual([{ event: 'message', data: 'tail', id: '7' }]);
  });
});

describe('contexts and tools', () => {
  it('use the REST context endpoints, CSRF on changes', async () => {
    const stored = { id: 'k1', conversation_id: 'trip plan', content: 'flight at 9', metadata: { timestamp: '2026-01-01T00:00:00Z' } };
    const calls = stubFetch((_url, init) => {
      if (init.method === 'GET') return jsonResponse(200, { contexts: [stored] });
      if (init.method === 'POST') return jsonResponse(201, stored);
      return new Response(null, { status: 204 });
    });
    await expect(contexts('trip plan')).resolves.toEqual([stored]);
    await expect(storeContext('trip plan', 'flight at 9', { model: 'm' })).resolves.toEqual(stored);
    await deleteContext('trip plan', 'k1');

    expect(calls.map((c) => `${c.init.method} ${c.url} ${c.headers['x-csrf'] ?? '-'}`)).toEqual([
      'GET /api/conversations/trip%20plan/contexts -',
      'POST /api/conversations/trip%20plan/contexts 1',
      'DELETE /api/conversations/trip%20plan/contexts/k1 1',
    ]);
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ content: 'flight at 9', metadata: { model: 'm' } });
  });

  it('apply pushed context updates', () => {
    const a = { id: 'a', conversation_id: 'c', content: 'A', metadata: {} };
    const b = { id: 'b', conversation_id: 'c', content: 'B', metadata: {} };
    const list = applyContextUpdate([a], { conversation_id: 'c', action: 'stored', id: 'b', context: b });
    expect(list).toEqual([a, b]);
    expect(applyContextUpdate(list, { conversation_id: 'c', action: 'stored', id: 'a', context: { ...a, content: 'A2' } })[0].content).toBe('A2');
    expect(applyContextUpdate(list, { conversation_id: 'c', action: 'deleted', id: 'a' })).toEqual([b]);
  });

  it('call a tool with {arguments}', async () => {
    const calls = stubFetch(() => jsonResponse(200, { content: [{ type: 'text', text: '1024' }], structuredContent: { result: 1024 } }));
    await expect(callTool('calculator', { expression: '2^10' })).resolves.toMatchObject({ content: [{ type: 'text', text: '1024' }] });
    expect(calls[0].url).toBe('/api/tools/calculator/call');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ arguments: { expression: '2^10' } });
  });
});
