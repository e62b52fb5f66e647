// Incentives owed to participants: what is due, and handing it over.
//   GET  /incentives?status=due|upcoming|sent|void&studyId=
//   POST /incentives/:id/send   { method: 'email' | 'elsewhere', code?, url?, message? }
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminIncentive, AdminIncentiveList, AdminIncentiveParams, AdminIncentivesQuery, ErrorBody, IncentiveSend } from '@beckon/shared/api';
import { incentiveBudgets, listIncentives, sendIncentive } from '../../services/incentives.js';

export const incentiveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const errors = { '4xx': ErrorBody };

  app.get(
    '/incentives',
    {
      schema: {
        summary: 'Incentives promised to participants, newest interview first',
        description: 'due: pending, and the interview is marked done; upcoming: pending before that. `budgets`: each paid study\'s spend against its incentive budget.',
        querystring: AdminIncentivesQuery,
        response: { 200: AdminIncentiveList, ...errors },
      },
    },
    async (request) => ({ incentives: await listIncentives(app.db, request.workspace.id, request.query), budgets: await incentiveBudgets(app.db, request.workspace.id) }),
  );

  app.post(
    '/incentives/:id/send',
    {
      schema: {
        summary: 'Hand over a due incentive: email the participant its code, link and a message, or record that it was given another way',
        params: AdminIncentiveParams,
        body: IncentiveSend,
        response: { 200: AdminIncentive, ...errors },
      },
    },
    async (request) => sendIncentive({ db: app.db, secretBox: app.secretBox }, request.workspace.id, request.params.id, request.body),
  );
};
