// The prompts the conformance scenarios get, and the completion of their arguments.
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { PNG_BASE64 } from './media.mjs';

const user = (content) => ({ role: 'user', content });
const text = (value) => ({ type: 'text', text: value });

const catalog = [
  {
    name: 'test_simple_prompt',
    description: 'A prompt without arguments.',
    arguments: [],
    get: () => [user(text('This is a simple prompt for testing.'))],
  },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt that substitutes two arguments.',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
    get: ({ arg1, arg2 }) => [user(text(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`))],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds the resource named by its argument.',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
    get: ({ resourceUri }) => [
      user({ type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } }),
      user(text('Please process the embedded resource above.')),
    ],
  },
  {
    name: 'test_prompt_with_image',
    description: 'A prompt with an image.',
    arguments: [],
    get: () => [user({ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }), user(text('Please analyze the image above.'))],
  },
];

export const listedPrompts = catalog.map(({ name, description, arguments: args }) => ({ name, description, arguments: args }));

export function getPrompt(name, args = {}) {
  const prompt = catalog.find((candidate) => candidate.name === name);
  if (!prompt) {
    throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${name}`);
  }
  const missing = prompt.arguments.filter((argument) => argument.required && typeof args[argument.name] !== 'string').map((argument) => argument.name);
  if (missing.length > 0) {
    throw new McpError(ErrorCode.InvalidParams, `Prompt ${name} needs the argument(s): ${missing.join(', ')}`);
  }
  return { description: prompt.description, messages: prompt.get(args) };
}

// Suggestions per argument, filtered by the typed prefix.
const suggestions = {
  'ref/prompt:test_prompt_with_arguments:arg1': ['paris', 'park', 'party', 'test', 'testing'],
  'ref/prompt:test_prompt_with_arguments:arg2': ['world', 'word', 'work'],
  'ref/resource:test://template/{id}/data:id': ['1', '2', '3', '123'],
};

export function complete(ref, argument) {
  const key = ref?.type === 'ref/prompt' ? `ref/prompt:${ref.name}:${argument?.name}` : `ref/resource:${ref?.uri}:${argument?.name}`;
  const known = ref?.type === 'ref/prompt' ? catalog.some((prompt) => prompt.name === ref.name) : ref?.uri === 'test://template/{id}/data';
  if (!known) {
    throw new McpError(ErrorCode.InvalidParams, `Nothing to complete for ${ref?.type} ${ref?.name ?? ref?.uri}`);
  }
  const prefix = String(argument?.value ?? '').toLowerCase();
  const values = (suggestions[key] ?? []).filter((value) => value.startsWith(prefix));
  return { completion: { values, total: values.length, hasMore: false } };
}
