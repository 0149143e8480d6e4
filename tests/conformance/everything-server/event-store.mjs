// Resumability for the SDK transport: every SSE event of a session is kept in memory (bounded per
// stream), with ids "<stream>:<n>", so a client that lost a stream resumes with Last-Event-ID.
const MAX_EVENTS_PER_STREAM = 1000;

export class MemoryEventStore {
  #streams = new Map(); // streamId -> { next, events: [{ id, message }] }

  async storeEvent(streamId, message) {
    let stream = this.#streams.get(streamId);
    if (!stream) {
      stream = { next: 1, events: [] };
      this.#streams.set(streamId, stream);
    }
    const id = `${streamId}:${stream.next++}`;
    stream.events.push({ id, message });
    if (stream.events.length > MAX_EVENTS_PER_STREAM) stream.events.shift();
    return id;
  }

  async getStreamIdForEventId(eventId) {
    const streamId = MemoryEventStore.#streamOf(eventId);
    return this.#streams.has(streamId) ? streamId : undefined;
  }

  async replayEventsAfter(lastEventId, { send }) {
    const streamId = MemoryEventStore.#streamOf(lastEventId);
    const stream = this.#streams.get(streamId);
    if (!stream) {
      throw new Error(`Unknown event id ${lastEventId}`);
    }
    const sequence = Number(lastEventId.slice(streamId.length + 1));
    for (const event of stream.events) {
      if (Number(event.id.slice(streamId.length + 1)) > sequence) {
        await send(event.id, event.message);
      }
    }
    return streamId;
  }

  static #streamOf(eventId) {
    const separator = eventId.lastIndexOf(':');
    return separator > 0 ? eventId.slice(0, separator) : '';
  }
}
