// The tools the conformance suite's server scenarios call, each doing what its scenario describes.
// A tool's `run(args, extra, session)` returns a CallToolResult; `extra` is the SDK's request context
// (sendNotification / sendRequest stay on the request's own stream, as the scenarios expect).
import { CreateMessageResultSchema, ElicitResultSchema, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { PNG_BASE64, WAV_BASE64 } from './media.mjs';

const NO_ARGUMENTS = { type: 'object', properties: {}, additionalProperties: false };
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (value) => ({ type: 'text', text: value });
const failure = (message) => ({ isError: true, content: [text(message)] });

function requireString(args, name) {
  const value = args?.[name];
  if (typeof value !== 'string' || value.length === 0) {
    throw new McpError(ErrorCode.InvalidParams, `Argument "${name}" is required and must be a non-empty string.`);
  }
  return value;
}

async function elicit(extra, session, params) {
  if (!session.clientCapabilities()?.elicitation) {
    return null;
  }
  return extra.sendRequest({ method: 'elicitation/create', params }, ElicitResultSchema);
}

const describeElicitation = (result) => `Elicitation completed: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;

export const tools = [
  {
    name: 'test_simple_text',
    description: 'Returns one text block.',
    inputSchema: NO_ARGUMENTS,
    run: () => ({ content: [text('This is a simple text response for testing.')] }),
  },
  {
    name: 'test_image_content',
    description: 'Returns a 1x1 red PNG as image content.',
    inputSchema: NO_ARGUMENTS,
    run: () => ({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] }),
  },
  {
    name: 'test_audio_content',
    description: 'Returns 10 ms of silence as WAV audio content.',
    inputSchema: NO_ARGUMENTS,
    run: () => ({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] }),
  },
  {
    name: 'test_embedded_resource',
    description: 'Returns an embedded text resource.',
    inputSchema: NO_ARGUMENTS,
    run: () => ({
      content: [{
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      }],
    }),
  },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, an image and an embedded JSON resource.',
    inputSchema: NO_ARGUMENTS,
    run: () => ({
      content: [
        text('Multiple content types test:'),
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) },
        },
      ],
    }),
  },
  {
    name: 'test_tool_with_logging',
    description: 'Sends three info log notifications, 50 ms apart, while it runs.',
    inputSchema: NO_ARGUMENTS,
    run: async (_args, extra, session) => {
      for (const [index, message] of ['Tool execution started', 'Tool processing data', 'Tool execution completed'].entries()) {
        if (index > 0) await delay(50);
        await session.log(extra, 'info', message);
      }
      return { content: [text('Logging tool finished: 3 messages sent at info level.')] };
    },
  },
  {
    name: 'test_error_handling',
    description: 'Always fails, as a tool error (isError), not a protocol error.',
    inputSchema: NO_ARGUMENTS,
    run: () => failure('This tool intentionally returns an error for testing'),
  },
  {
    name: 'test_tool_with_progress',
    description: 'Reports progress 0, 50 and 100 of 100, 50 ms apart, when the request carries a progress token.',
    inputSchema: NO_ARGUMENTS,
    run: async (_args, extra) => {
      const progressToken = extra._meta?.progressToken;
      for (const [index, progress] of [0, 50, 100].entries()) {
        if (index > 0) await delay(50);
        if (progressToken !== undefined) {
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total: 100 } });
        }
      }
      return { content: [text(progressToken === undefined ? 'Done (no progress token was given).' : 'Done: progress reported 0, 50, 100 of 100.')] };
    },
  },
  {
    name: 'test_sampling',
    description: 'Asks the client for an LLM completion of the prompt (sampling/createMessage).',
    inputSchema: { type: 'object', properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } }, required: ['prompt'] },
    run: async (args, extra, session) => {
      const prompt = requireString(args, 'prompt');
      if (!session.clientCapabilities()?.sampling) {
        return failure('The client does not support sampling (no sampling capability).');
      }
      const result = await extra.sendRequest({
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: text(prompt) }], maxTokens: 100 },
      }, CreateMessageResultSchema);
      const answer = result.content?.type === 'text' ? result.content.text : JSON.stringify(result.content);
      return { content: [text(`LLM response: ${answer}`)] };
    },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the user for a username and an email (elicitation/create).',
    inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'The message to show the user' } }, required: ['message'] },
    run: async (args, extra, session) => {
      const message = requireString(args, 'message');
      const result = await elicit(extra, session, {
        message,
        requestedSchema: {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        },
      });
      if (result === null) return failure('The client does not support elicitation (no elicitation capability).');
      return { content: [text(`User response: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`)] };
    },
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicits a form whose string, integer, number, enum and boolean fields all have defaults (SEP-1034).',
    inputSchema: NO_ARGUMENTS,
    run: async (_args, extra, session) => {
      const result = await elicit(extra, session, {
        message: 'Please review these details; every field has a default.',
        requestedSchema: {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: { type: 'string', description: 'User status', enum: ['active', 'inactive', 'pending'], default: 'active' },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
          required: [],
        },
      });
      if (result === null) return failure('The client does not support elicitation (no elicitation capability).');
      return { content: [text(describeElicitation(result))] };
    },
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicits a form with the five enum shapes of SEP-1330 (untitled/titled, single/multi, legacy enumNames).',
    inputSchema: NO_ARGUMENTS,
    run: async (_args, extra, session) => {
      const result = await elicit(extra, session, {
        message: 'Please pick from each list.',
        requestedSchema: {
          type: 'object',
          properties: {
            untitledSingle: { type: 'string', enum: ['option1', 'option2', 'option3'] },
            titledSingle: {
              type: 'string',
              oneOf: [{ const: 'value1', title: 'First Option' }, { const: 'value2', title: 'Second Option' }, { const: 'value3', title: 'Third Option' }],
            },
            legacyEnum: { type: 'string', enum: ['opt1', 'opt2', 'opt3'], enumNames: ['Option One', 'Option Two', 'Option Three'] },
            untitledMulti: { type: 'array', items: { type: 'string', enum: ['option1', 'option2', 'option3'] } },
            titledMulti: {
              type: 'array',
              items: { anyOf: [{ const: 'value1', title: 'First Choice' }, { const: 'value2', title: 'Second Choice' }, { const: 'value3', title: 'Third Choice' }] },
            },
          },
          required: [],
        },
      });
      if (result === null) return failure('The client does not support elicitation (no elicitation capability).');
      return { content: [text(describeElicitation(result))] };
    },
  },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: { address: { type: 'object', properties: { street: { type: 'string' }, city: { type: 'string' } } } },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
    run: (args) => ({ content: [text(`Received: ${JSON.stringify(args ?? {})}`)] }),
  },
  {
    name: 'test_reconnection',
    description: 'Closes its SSE stream mid-call; the result arrives when the client resumes with Last-Event-ID (SEP-1699).',
    inputSchema: NO_ARGUMENTS,
    run: async (_args, extra) => {
      await delay(100);
      extra.closeSSEStream?.();
      await delay(200);
      return { content: [text('Reconnection test completed successfully')] };
    },
  },
];

export const toolsByName = new Map(tools.map((tool) => [tool.name, tool]));
