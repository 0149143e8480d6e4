import { describe, expect, it } from 'vitest';
import { applyContextUpdate, storeContext, type ConversationContext } from '../src/lib/gateway';
import { formatTimestamp, viewContent } from '../src/app/contextView';
import { jsonResponse, stubFetch } from './helpers';

const seed: ConversationContext = {
  id: 'ctx-1',
  conversation_id: 'trip',
  content: { message: 'I prefer trains', timestamp: 1733140000000, user_context: { seat: 'window' } },
  metadata: { timestamp: 1733140000000, model: 'gpt-4', tokens_used: 42, source: { app: 'seed' } },
};

describe('viewContent', () => {
  it('shows a string as its text', () => {
    expect(viewContent('likes tea')).toEqual({ text: 'likes tea', json: null, summary: 'likes tea' });
  });

  it('shows an object message prominently and the rest as indented JSON', () => {
    const view = viewContent(seed.content);
    expect(view.text).toBe('I prefer trains');
    expect(view.json).toBe('{\n  "timestamp": 1733140000000,\n  "user_context": {\n    "seat": "window"\n  }\n}');
    expect(view.summary).toBe('I prefer trains');
  });

  it('shows an object with only a message as text alone', () => {
    expect(viewContent({ message: 'only this' })).toEqual({ text: 'only this', json: null, summary: 'only this' });
  });

  it('shows objects without a text message, and arrays, as indented JSON', () => {
    expect(viewContent({ message: 7, a: [1] })).toEqual({ text: null, json: '{\n  "message": 7,\n  "a": [\n    1\n  ]\n}', summary: '{"message":7,"a":[1]}' });
    expect(viewContent([1, 'two'])).toEqual({ text: null, json: '[\n  1,\n  "two"\n]', summary: '[1,"two"]' });
  });

  it('shows numbers and booleans as text', () => {
    expect(viewContent(42)).toMatchObject({ text: '42', json: null });
    expect(viewContent(false)).toMatchObject({ text: 'false', json: null });
  });

  it('keeps the summary to one short line', () => {
    const summary = viewContent(`first line\nsecond ${'x'.repeat(80)}`).summary;
    expect(summary).toHaveLength(40);
    expect(summary).toMatch(/^first line second x+…$/);
  });
});

describe('formatTimestamp', () => {
  const utc = { timeZone: 'UTC' } as const;

  it('reads milliseconds since the epoch and ISO 8601 text alike', () => {
    const fromNumber = formatTimestamp(1733140000000, 'en-GB', utc);
    expect(fromNumber).toBe('02/12/2024, 11:46:40');
    expect(formatTimestamp('2024-12-02T11:46:40.000Z', 'en-GB', utc)).toBe(fromNumber);
  });

  it('is empty for what is not a time', () => {
    for (const value of [undefined, null, '', 'yesterday', {}, Number.NaN, true]) {
      expect(formatTimestamp(value, 'en-GB', utc)).toBe('');
    }
  });
});

describe('contexts with JSON contents', () => {
  it('are stored with the content sent as JSON, not as a string', async () => {
    const calls = stubFetch(() => jsonResponse(201, seed));

    const stored = await storeContext('trip', seed.content, { timestamp: 1733140000000, model: 'gpt-4', tokens_used: 42 });

    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      content: seed.content,
      metadata: { timestamp: 1733140000000, model: 'gpt-4', tokens_used: 42 },
    });
    expect(stored).toEqual(seed);
  });

  it('are replaced in a list by a pushed update, content and extra metadata as they came', () => {
    const older: ConversationContext = { ...seed, content: 'old', metadata: { timestamp: '2024-12-01T00:00:00Z' } };
    const list = applyContextUpdate([older], { conversation_id: 'trip', action: 'stored', id: 'ctx-1', context: seed });
    expect(list).toEqual([seed]);
  });
});
