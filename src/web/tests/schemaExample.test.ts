import { describe, expect, it } from 'vitest';
import { exampleArguments } from '../src/app/schemaExample';

describe('exampleArguments', () => {
  it('take the example quoted in a description', () => {
    expect(exampleArguments({
      type: 'object',
      properties: { expression: { type: 'string', description: 'The expression to evaluate, e.g. "(1 + 2) * 3".' } },
      required: ['expression'],
    })).toEqual({ expression: '(1 + 2) * 3' });
  });

  it('fill required properties from examples, defaults, enums and types', () => {
    expect(exampleArguments({
      type: 'object',
      properties: {
        a: { type: 'number', default: 2 },
        b: { type: 'string', enum: ['x', 'y'] },
        c: { type: 'boolean' },
        d: { type: 'array', items: { type: 'string' } },
        e: { type: ['integer', 'null'], minimum: 1 },
        f: { type: 'string', examples: ['hello'] },
        optional: { type: 'string' },
      },
      required: ['a', 'b', 'c', 'd', 'e', 'f'],
    })).toEqual({ a: 2, b: 'x', c: false, d: [], e: 1, f: 'hello' });
  });

  it('give {} for a tool without parameters', () => {
    expect(exampleArguments(undefined)).toEqual({});
    expect(exampleArguments({ type: 'object', properties: {} })).toEqual({});
  });
});
