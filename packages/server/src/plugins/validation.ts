// Request validation with the TypeBox schemas from @beckon/shared. Bodies are validated
// strictly (a string is not a number, unknown fields are refused); query strings and path
// parameters are text by nature, so they are coerced.
import { Ajv, type Options } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { isTimeZone } from '@beckon/shared/api';
import { RuleSchema } from '@beckon/shared/rules';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

function makeAjv(options: Options): Ajv {
  const ajv = new Ajv({ allErrors: false, removeAdditional: false, useDefaults: true, strict: false, ...options });
  addFormats(ajv);
  ajv.addFormat('time-zone', { type: 'string', validate: isTimeZone });
  // Route schemas refer to the recursive rule schema by its $id.
  ajv.addSchema(RuleSchema);
  return ajv;
}

export function installValidation(app: FastifyInstance): void {
  // Shared with the response serializer and the OpenAPI document.
  app.addSchema(RuleSchema);
  const strict = makeAjv({ coerceTypes: false });
  const coercing = makeAjv({ coerceTypes: 'array' });
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema));
}
