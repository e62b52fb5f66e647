// A job worker in a process of its own, running only the payout jobs, so a test can kill it at
// the worst moment: after the provider took the order, before the order is recorded.
import pino from 'pino';
import { openDatabase } from '../../../src/db/client.js';
import { createTremendousProvider, payoutHandlers } from '../../../src/integrations/payouts.js';
import { JobWorker } from '../../../src/jobs/worker.js';

const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: '', poolSize: 2 });
const provider = createTremendousProvider({ apiKey: process.env.TREMENDOUS_API_KEY!, apiUrl: process.env.TREMENDOUS_API_URL!, fundingSourceId: 'balance', campaignId: undefined });
const worker = new JobWorker({ db: database.db, log: pino({ level: 'silent' }), handlers: payoutHandlers({ db: database.db, providerFor: async () => provider }) });
process.stdout.write('ready\n');
await worker.runOnce();
await database.close();
