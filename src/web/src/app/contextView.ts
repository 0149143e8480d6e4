/** How the Contexts panel shows a context's content: any JSON value, readably. */
export interface ContentView {
  /** Shown as text: a string content, a number or boolean, or an object's `message`. */
  text: string | null;
  /** Shown below as indented JSON: an array, or an object (without the `message` shown above). */
  json: string | null;
  /** A one-line summary, for labels. */
  summary: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function viewContent(content: unknown): ContentView {
  if (typeof content === 'string') return { text: content, json: null, summary: oneLine(content) };
  if (typeof content === 'number' || typeof content === 'boolean') {
    const text = String(content);
    return { text, json: null, summary: text };
  }
  if (isRecord(content) && typeof content.message === 'string') {
    const { message, ...rest } = content;
    const json = Object.keys(rest).length > 0 ? JSON.stringify(rest, null, 2) : null;
    return { text: message, json, summary: oneLine(message) };
  }
  const json = JSON.stringify(content ?? null, null, 2);
  return { text: null, json, summary: oneLine(JSON.stringify(content ?? null)) };
}

/** A timestamp as milliseconds since the epoch or ISO 8601 text, in the reader's locale; '' when unreadable. */
export function formatTimestamp(timestamp: unknown, locales?: Intl.LocalesArgument, options?: Intl.DateTimeFormatOptions): string {
  if (typeof timestamp !== 'number' && typeof timestamp !== 'string') return '';
  if (typeof timestamp === 'string' && timestamp.trim() === '') return '';
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleString(locales, options);
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 40 ? `${line.slice(0, 39)}…` : line;
}
