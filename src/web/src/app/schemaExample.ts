import type { JsonSchema } from '../lib/gateway';

/**
 * A plausible example value for a JSON Schema, to pre-fill a tool's arguments: the schema's own
 * `examples`, `default`, `const` or first `enum` value, an example quoted in its description
 * (`e.g. "(1 + 2) * 3"`), or an empty value of its type. Objects get their required properties
 * (all of them when none is required).
 */
export function exampleFor(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > 5) return null;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const alternative = schema.anyOf?.[0] ?? schema.oneOf?.[0];
  if (alternative) return exampleFor(alternative, depth + 1);

  switch (typeOf(schema)) {
    case 'string': return quotedExample(schema.description) ?? '';
    case 'number':
    case 'integer': return typeof schema.minimum === 'number' ? schema.minimum : Number(quotedExample(schema.description) ?? 0) || 0;
    case 'boolean': return false;
    case 'null': return null;
    case 'array': {
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return minItems > 0 && schema.items ? [exampleFor(schema.items, depth + 1)] : [];
    }
    case 'object': return exampleObject(schema, depth);
    default: return null;
  }
}

/** The arguments object a tool form starts with. */
export function exampleArguments(schema: JsonSchema | undefined): Record<string, unknown> {
  const value = exampleFor(schema ?? { type: 'object' });
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function exampleObject(schema: JsonSchema, depth: number): Record<string, unknown> {
  const properties = schema.properties ?? {};
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => name in properties) : [];
  const names = required.length > 0 ? required : Object.keys(properties);
  const result: Record<string, unknown> = {};
  for (const name of names) result[name] = exampleFor(properties[name], depth + 1);
  return result;
}

function typeOf(schema: JsonSchema): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? schema.type[0] : schema.type;
  if (type) return type;
  if (schema.properties) return 'object';
  if (schema.items) return 'array';
  return undefined;
}

function quotedExample(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const match = /\be\.g\.?,?\s*["“']([^"”']+)["”']/i.exec(description);
  return match?.[1];
}
