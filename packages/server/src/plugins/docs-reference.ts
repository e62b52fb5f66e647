// The API reference at /docs, rendered here from the OpenAPI document as plain HTML: every
// operation, webhook and shared schema, each operation's parameters, request body and responses
// with their fields. It is readable as soon as it arrives and searchable with the browser's find
// (which opens a collapsed operation); Swagger UI spent 1-4 s of a browser's main thread on the
// same document before it showed anything. Swagger UI stays as the console at /docs/try, for
// sending requests; every operation here links to itself there.
import { createHash } from 'node:crypto';
import { html, SafeHtml } from '../mail/layout.js';

/** The parts of JSON Schema (2020-12) that route schemas written with TypeBox use. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  examples?: unknown[];
  example?: unknown;
  default?: unknown;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
  example?: unknown;
}

interface Content {
  content?: Record<string, { schema?: JsonSchema }>;
  description?: string;
  required?: boolean;
}

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: Content;
  responses?: Record<string, Content>;
}

interface SecurityScheme {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
  description?: string;
}

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  tags?: { name: string; description?: string }[];
  paths?: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, JsonSchema>; securitySchemes?: Record<string, SecurityScheme> };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];

/** Text with `code` spans, as the document's descriptions write them. */
function prose(text: string | undefined): SafeHtml {
  if (!text) return html``;
  return html`${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

const json = (value: unknown) => JSON.stringify(value);

/** The values a schema allows when it is a list of literals (an enum, a const, or a union of them). */
function literals(schema: JsonSchema): unknown[] | undefined {
  if (schema.enum) return schema.enum;
  if ('const' in schema) return [schema.const];
  const union = schema.anyOf ?? schema.oneOf;
  if (!union || union.length === 0) return undefined;
  const values: unknown[] = [];
  for (const branch of union) {
    const own = literals(branch);
    if (!own) return undefined;
    values.push(...own);
  }
  return values;
}

const isNull = (schema: JsonSchema) => schema.type === 'null';

/** A description carried by the one non-null branch of `X or null` counts as the field's own. */
function descriptionOf(schema: JsonSchema): string | undefined {
  if (schema.description) return schema.description;
  const branches = (schema.anyOf ?? schema.oneOf)?.filter((branch) => !isNull(branch));
  return branches?.length === 1 ? descriptionOf(branches[0]!) : undefined;
}

function constraintsOf(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) => {
    if (min !== undefined && max !== undefined) notes.push(min === max ? `exactly ${min}${unit}` : `${min} to ${max}${unit}`);
    else if (min !== undefined) notes.push(`at least ${min}${unit}`);
    else if (max !== undefined) notes.push(`at most ${max}${unit}`);
  };
  range(schema.minLength, schema.maxLength, ' characters');
  range(schema.minimum, schema.maximum, '');
  range(schema.minItems, schema.maxItems, ' items');
  if (schema.maxProperties !== undefined) notes.push(`at most ${schema.maxProperties} entries`);
  if (schema.uniqueItems) notes.push('no repeats');
  return notes;
}

/** Names shared schemas by their title, else their description's start, else their key. */
function schemaName(document: OpenApiDocument, ref: string): { id: string; name: string } {
  const key = ref.split('/').pop()!;
  const schema = document.components?.schemas?.[key];
  const name = schema?.title ?? schema?.description?.split(/[:;,.]/)[0] ?? key;
  return { id: `schema-${key}`, name };
}

class SchemaRenderer {
  constructor(private readonly document: OpenApiDocument) {}

  /** One line: "string (uuid)", "array of object", "draft | live", a link to a shared schema. */
  kind(schema: JsonSchema): SafeHtml {
    if (schema.$ref) {
      const { id, name } = schemaName(this.document, schema.$ref);
      return html`<a href="#${id}">${name}</a>`;
    }
    const values = literals(schema);
    if (values) return html`${values.map((value, i) => html`${i > 0 ? ' | ' : ''}<code>${json(value)}</code>`)}`;
    const union = schema.anyOf ?? schema.oneOf;
    if (union) {
      const nullable = union.some(isNull);
      const rest = union.filter((branch) => !isNull(branch));
      const head = rest.length === 1 ? this.kind(rest[0]!) : html`one of ${rest.length}`;
      return nullable ? html`${head} or <code>null</code>` : head;
    }
    if (schema.allOf) return html`all of ${schema.allOf.length}`;
    if (Array.isArray(schema.type)) return html`${schema.type.join(' or ')}`;
    if (schema.type === 'array') return schema.items ? html`array of ${this.kind(schema.items)}` : html`array`;
    if (schema.type === 'object' && !schema.properties && typeof schema.additionalProperties === 'object') {
      return html`object of ${this.kind(schema.additionalProperties)}`;
    }
    const type = schema.type ?? (schema.properties ? 'object' : 'any');
    return schema.format ? html`${type} <span class="format">(${schema.format})</span>` : html`${type}`;
  }

  /** What sits under a field's line: its fields (an object), or its alternatives (a union of shapes). */
  details(schema: JsonSchema): SafeHtml {
    if (schema.$ref || literals(schema)) return html``;
    const union = schema.anyOf ?? schema.oneOf;
    if (union) {
      const rest = union.filter((branch) => !isNull(branch));
      if (rest.length === 1) return this.details(rest[0]!);
      return html`<ol class="alternatives">${rest.map((branch) => html`<li><span class="kind">${this.kind(branch)}</span>${this.notes(branch)}${this.details(branch)}</li>`)}</ol>`;
    }
    if (schema.allOf) return html`<ol class="alternatives">${schema.allOf.map((part) => html`<li>${this.details(part)}</li>`)}</ol>`;
    if (schema.type === 'array' && schema.items) return this.details(schema.items);
    if (typeof schema.additionalProperties === 'object' && !schema.properties) return this.details(schema.additionalProperties);
    if (!schema.properties) return html``;
    const required = new Set(schema.required ?? []);
    return html`<ul class="fields">${Object.entries(schema.properties).map(
      ([name, property]) =>
        html`<li><code class="name">${name}</code> <span class="kind">${this.kind(property)}</span>${required.has(name) ? html` <span class="required">required</span>` : ''}${this.notes(property)}${this.details(property)}</li>`,
    )}</ul>`;
  }

  /** A field's description, constraints, pattern and example. */
  notes(schema: JsonSchema): SafeHtml {
    const inner = (schema.anyOf ?? schema.oneOf)?.filter((branch) => !isNull(branch));
    const own = inner?.length === 1 && !literals(schema) ? inner[0]! : schema;
    const description = descriptionOf(schema);
    const constraints = constraintsOf(own);
    const example = own.examples?.[0] ?? own.example;
    const parts = [
      ...constraints.map((text) => html`${text}`),
      ...(own.pattern ? [html`matches <code>${own.pattern}</code>`] : []),
      ...(own.default !== undefined ? [html`default <code>${json(own.default)}</code>`] : []),
      ...(example !== undefined ? [html`e.g. <code>${json(example)}</code>`] : []),
    ];
    if (!description && parts.length === 0) return html``;
    return html`<div class="note">${prose(description)}${parts.length > 0 ? html` <span class="constraints">${parts.map((part, i) => html`${i > 0 ? '; ' : ''}${part}`)}</span>` : ''}</div>`;
  }

  /** A body: its type line and, for an object, its fields. */
  block(schema: JsonSchema): SafeHtml {
    return html`<p class="kind">${this.kind(schema)}</p>${this.notes(schema)}${this.details(schema)}`;
  }
}

const SCHEME_NAMES: Record<string, string> = { secretKey: 'Secret key', session: 'Session', csrf: 'CSRF token' };

function security(requirements: Record<string, string[]>[] | undefined): SafeHtml {
  if (!requirements || requirements.length === 0) return html`<p class="auth">No authentication.</p>`;
  const alternatives = requirements.map((requirement) => html`${Object.keys(requirement).map((name, i) => html`${i > 0 ? ' + ' : ''}<a href="#auth-${name}">${SCHEME_NAMES[name] ?? name}</a>`)}`);
  return html`<p class="auth">Authentication: ${alternatives.map((alternative, i) => html`${i > 0 ? ' or ' : ''}${alternative}`)}.</p>`;
}

function mediaBlocks(content: Content['content'], renderer: SchemaRenderer): SafeHtml {
  return html`${Object.entries(content ?? {}).map(([type, media]) => html`${type === 'application/json' ? '' : html`<p class="media">${type}</p>`}${media.schema ? renderer.block(media.schema) : ''}`)}`;
}

interface Entry {
  id: string;
  method: string;
  path: string;
  operation: Operation;
  /** Where the console (Swagger UI at /docs/try) shows the same operation. */
  console?: string;
}

function operationSection(entry: Entry, renderer: SchemaRenderer): SafeHtml {
  const { operation } = entry;
  const parameters = operation.parameters ?? [];
  const body = operation.requestBody;
  return html`<details class="operation" id="${entry.id}"><summary><span class="method ${entry.method}">${entry.method.toUpperCase()}</span> <code class="path">${entry.path}</code> <span class="summary">${operation.summary ?? ''}</span>${operation.deprecated ? html` <span class="deprecated">deprecated</span>` : ''}</summary>
<div class="body">${operation.description ? html`<p>${prose(operation.description)}</p>` : ''}${security(operation.security)}${
    parameters.length > 0
      ? html`<h4>Parameters</h4><ul class="fields">${parameters.map(
          (parameter) =>
            html`<li><code class="name">${parameter.name}</code> <span class="in">${parameter.in}</span> <span class="kind">${parameter.schema ? renderer.kind(parameter.schema) : 'any'}</span>${parameter.required ? html` <span class="required">required</span>` : ''}${parameter.description ? html`<div class="note">${prose(parameter.description)}</div>` : ''}${parameter.schema ? renderer.notes({ ...parameter.schema, ...(parameter.example !== undefined ? { example: parameter.example } : {}) }) : ''}</li>`,
        )}</ul>`
      : ''
  }${body ? html`<h4>Request body${body.required ? '' : ' (optional)'}</h4>${body.description ? html`<p>${prose(body.description)}</p>` : ''}${mediaBlocks(body.content, renderer)}` : ''}${
    operation.responses
      ? html`<h4>Responses</h4>${Object.entries(operation.responses).map(
          ([status, response]) => html`<div class="response"><h5><code>${status}</code> ${response.description === 'Default Response' ? '' : prose(response.description)}</h5>${mediaBlocks(response.content, renderer)}</div>`,
        )}`
      : ''
  }${entry.console ? html`<p class="try"><a href="${entry.console}">Try it in the console</a></p>` : ''}</div></details>`;
}

function entriesOf(items: OpenApiDocument['paths'], kind: 'operation' | 'webhook'): Entry[] {
  const entries: Entry[] = [];
  for (const [path, operations] of Object.entries(items ?? {})) {
    for (const method of METHODS) {
      const operation = operations[method];
      if (!operation) continue;
      const id = operation.operationId ?? `${method}-${path}`;
      const tag = operation.tags?.[0] ?? 'default';
      entries.push({ id, method, path, operation, ...(kind === 'operation' && operation.operationId ? { console: `/docs/try#/${encodeURIComponent(tag)}/${encodeURIComponent(operation.operationId)}` } : {}) });
    }
  }
  return entries;
}

const STYLE = `
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); }
a { color: var(--accent); }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
nav { position: fixed; inset: 0 auto 0 0; width: 300px; overflow-y: auto; padding: 16px; border-right: 1px solid var(--line); background: var(--soft); font-size: 14px; }
nav h2 { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 18px 0 6px; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li a { display: block; padding: 2px 0; color: var(--ink); text-decoration: none; }
nav li a:hover { color: var(--accent); }
nav .method { display: inline-block; width: 52px; }
main { margin-left: 300px; padding: 24px 40px 80px; max-width: 1100px; }
@media (max-width: 900px) { nav { position: static; width: auto; border-right: 0; border-bottom: 1px solid var(--line); } main { margin-left: 0; padding: 16px; } }
h1 { margin: 0 0 8px; font-size: 28px; }
h2 { margin: 40px 0 8px; padding-bottom: 6px; border-bottom: 1px solid var(--line); font-size: 22px; }
h4 { margin: 16px 0 6px; font-size: 14px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
h5 { margin: 12px 0 4px; font-size: 14px; font-weight: 600; }
.lead { color: var(--muted); margin-top: 0; }
.operation { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; }
.operation > summary { cursor: pointer; padding: 8px 12px; list-style-position: outside; }
.operation[open] > summary { border-bottom: 1px solid var(--line); background: var(--soft); }
.operation .body { padding: 4px 16px 12px; }
.method { font: 600 12px/1 ui-monospace, monospace; text-transform: uppercase; }
.method.get { color: #0969da; } .method.post { color: #1a7f37; } .method.put, .method.patch { color: #9a6700; } .method.delete { color: #cf222e; }
summary .method { display: inline-block; min-width: 56px; }
.path { font-weight: 600; }
.summary { color: var(--muted); margin-left: 6px; }
.deprecated, .required { font-size: 12px; color: #9a6700; }
.required { color: #cf222e; }
.in, .format, .media { color: var(--muted); font-size: 13px; }
.fields { list-style: none; margin: 4px 0; padding-left: 16px; border-left: 2px solid var(--line); }
.fields > li { margin: 6px 0; }
.alternatives { margin: 4px 0; padding-left: 24px; }
.kind { color: #6639ba; font-size: 13px; }
p.kind { margin: 4px 0; }
.note { color: var(--muted); font-size: 14px; }
.constraints { font-size: 13px; }
.auth { font-size: 14px; }
.try { margin: 12px 0 0; font-size: 14px; }
`;

/**
 * Opens the operation a link (or the address) points at. A Swagger UI link from when /docs was
 * Swagger UI (#/tag/operationId) goes on to the console, where it still works.
 */
const SCRIPT = `if (location.hash.startsWith('#/')) location.replace('/docs/try' + location.hash);
const openTarget = () => { const target = document.getElementById(decodeURIComponent(location.hash.slice(1))); if (target instanceof HTMLDetailsElement) target.open = true; };
addEventListener('hashchange', openTarget); openTarget();`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's own style and script are allowed by their hashes, and nothing else is. */
export const REFERENCE_CSP = `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'; frame-ancestors 'self'`;

/** The reference page for `document`, whole. */
export function renderReference(document: OpenApiDocument): string {
  const renderer = new SchemaRenderer(document);
  const operations = entriesOf(document.paths, 'operation');
  const webhooks = entriesOf(document.webhooks, 'webhook');
  const tags = [...(document.tags ?? [])];
  for (const entry of operations) {
    const tag = entry.operation.tags?.[0] ?? 'default';
    if (!tags.some((known) => known.name === tag)) tags.push({ name: tag });
  }
  const byTag = tags
    .map((tag) => ({ ...tag, entries: operations.filter((entry) => (entry.operation.tags?.[0] ?? 'default') === tag.name) }))
    .filter((tag) => tag.entries.length > 0);
  const schemes = Object.entries(document.components?.securitySchemes ?? {});
  const schemas = Object.entries(document.components?.schemas ?? {});
  const navList = (entries: Entry[]) =>
    html`<ul>${entries.map((entry) => html`<li><a href="#${entry.id}"><span class="method ${entry.method}">${entry.method}</span>${entry.operation.summary ?? entry.path}</a></li>`)}</ul>`;

  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${document.info.title} reference</title><style>${new SafeHtml(STYLE)}</style></head>
<body><nav aria-label="Operations"><strong>${document.info.title}</strong>
<p><a href="/docs/json">OpenAPI document</a> · <a href="/docs/try">Console</a></p>
${byTag.map((tag) => html`<h2>${tag.name}</h2>${navList(tag.entries)}`)}
${webhooks.length > 0 ? html`<h2>Webhooks</h2>${navList(webhooks)}` : ''}
</nav>
<main><h1>${document.info.title} <small class="lead">version ${document.info.version}</small></h1>
<p>${prose(document.info.description)}</p>
${document.servers?.length ? html`<p>Base URL: ${document.servers.map((server, i) => html`${i > 0 ? ', ' : ''}<code>${server.url}</code>`)}</p>` : ''}
<p>The <a href="/docs/json">OpenAPI document</a> describes the same for generated clients; the <a href="/docs/try">console</a> sends requests from this browser.</p>
${schemes.length > 0 ? html`<h2 id="auth">Authentication</h2><ul class="fields">${schemes.map(([name, scheme]) => html`<li id="auth-${name}"><strong>${SCHEME_NAMES[name] ?? name}</strong> <span class="kind">${scheme.type === 'http' ? `HTTP ${scheme.scheme ?? ''}` : `${scheme.in ?? ''} ${scheme.name ?? ''}`}</span><div class="note">${prose(scheme.description)}</div></li>`)}</ul>` : ''}
${byTag.map((tag) => html`<section><h2 id="tag-${tag.name}">${tag.name}</h2>${tag.description ? html`<p class="lead">${prose(tag.description)}</p>` : ''}${tag.entries.map((entry) => operationSection(entry, renderer))}</section>`)}
${webhooks.length > 0 ? html`<section><h2 id="webhooks">Webhooks</h2><p class="lead">Requests Beckon sends to your endpoints.</p>${webhooks.map((entry) => operationSection(entry, renderer))}</section>` : ''}
${schemas.length > 0 ? html`<section><h2 id="schemas">Shared schemas</h2>${schemas.map(([key, schema]) => html`<div id="schema-${key}"><h3>${schemaName(document, `#/components/schemas/${key}`).name}</h3>${renderer.block(schema)}</div>`)}</section>` : ''}
</main><script>${new SafeHtml(SCRIPT)}</script></body></html>`;
  return page.toString();
}
