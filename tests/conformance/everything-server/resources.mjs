// The resources and the resource template the conformance scenarios read and subscribe to.
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { PNG_BASE64 } from './media.mjs';

const fixed = [
  {
    uri: 'test://static-text',
    name: 'static-text',
    description: 'A fixed text resource.',
    mimeType: 'text/plain',
    read: () => ({ text: 'This is the content of the static text resource.' }),
  },
  {
    uri: 'test://static-binary',
    name: 'static-binary',
    description: 'A fixed binary resource: a 1x1 red PNG.',
    mimeType: 'image/png',
    read: () => ({ blob: PNG_BASE64 }),
  },
  {
    uri: 'test://watched-resource',
    name: 'watched-resource',
    description: 'A resource to subscribe to; its text changes when a subscriber calls resources/subscribe.',
    mimeType: 'text/plain',
    read: (state) => ({ text: `Watched resource, revision ${state.watchedRevision}.` }),
  },
];

const TEMPLATE = /^test:\/\/template\/([^/]+)\/data$/;

export const resourceTemplates = [
  {
    uriTemplate: 'test://template/{id}/data',
    name: 'template-data',
    description: 'JSON data for any id, substituted into the content.',
    mimeType: 'application/json',
  },
];

export const listedResources = fixed.map(({ uri, name, description, mimeType }) => ({ uri, name, description, mimeType }));

export function readResource(uri, state) {
  const resource = fixed.find((candidate) => candidate.uri === uri);
  if (resource) {
    return { contents: [{ uri, mimeType: resource.mimeType, ...resource.read(state) }] };
  }
  const match = TEMPLATE.exec(uri);
  if (match) {
    const id = decodeURIComponent(match[1]);
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }] };
  }
  throw notFound(uri);
}

// -32002 is the code the specification gives for an unknown resource.
export const notFound = (uri) => new McpError(-32002, `Resource not found: ${uri}`, { uri });

export function isKnownResource(uri) {
  return fixed.some((candidate) => candidate.uri === uri) || TEMPLATE.test(uri);
}
