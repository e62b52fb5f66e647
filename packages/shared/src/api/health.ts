import { Type, type Static } from '@sinclair/typebox';

export const HealthResponse = Type.Object({ status: Type.Literal('ok') });

export const ReadyResponse = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  database: Type.Union([Type.Literal('postgres'), Type.Literal('pglite')]),
  checks: Type.Object({
    database: Type.Boolean(),
    migrations: Type.Object({ applied: Type.Integer(), committed: Type.Integer(), current: Type.Boolean() }),
  }),
});
export type ReadyResponse = Static<typeof ReadyResponse>;
