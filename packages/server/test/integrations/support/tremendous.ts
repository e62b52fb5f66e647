// A local emulation of the Tremendous endpoints Beckon calls (POST /orders, GET /orders/{id},
// GET /funding_sources to check a key), as documented: bearer auth (401 for any other key); `external_id` makes an order idempotent (a repeat answers 201 with
// the order first created and creates nothing); a new order answers 200.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface EmulatedOrder {
  id: string;
  external_id: string | null;
  status: string;
  created_at: string;
  rewards: { id: string; order_id: string; value: unknown; recipient: { name: string; email: string }; delivery: { method: string; status: string } }[];
}

export class TremendousEmulation {
  readonly orders: EmulatedOrder[] = [];
  /** Called once a new order is stored; 'hang' leaves the request unanswered, 'refuse' answers 422 instead. */
  onOrder: ((order: EmulatedOrder) => 'hang' | 'refuse' | void) | undefined;
  requests = 0;
  /** The account's funding sources, as GET /funding_sources lists them. */
  fundingSources: { id: string; method: string }[] = [
    { id: 'BALANCE01', method: 'balance' },
    { id: 'CARD0042', method: 'credit_card' },
  ];
  /** Who placed each order, by the bearer key it came with. */
  readonly orderedWith = new Map<string, string>();
  private server: Server | undefined;

  private readonly tokens: Set<string>;

  /** Any of the given keys is accepted (one account each, as the orders' keys show). */
  constructor(...tokens: string[]) {
    this.tokens = new Set(tokens);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.requests++;
        const send = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
        if (!this.tokens.has(token)) return send(401, { errors: { message: 'Unauthorized' } });
        const url = new URL(request.url ?? '/', 'http://emulation');
        if (request.method === 'POST' && url.pathname === '/api/v2/orders') {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
          const reward = body.reward ?? {};
          if (!body.payment?.funding_source_id || !reward.value?.denomination || !reward.recipient?.email || !reward.delivery?.method) {
            return send(400, { errors: { message: 'Missing required parameters', payload: body } });
          }
          const existing = body.external_id ? this.orders.find((order) => order.external_id === body.external_id) : undefined;
          if (existing) return send(201, { order: existing });
          const id = randomBytes(6).toString('hex').toUpperCase();
          const order: EmulatedOrder = {
            id,
            external_id: body.external_id ?? null,
            status: 'EXECUTED',
            created_at: new Date().toISOString(),
            rewards: [{ id: randomBytes(6).toString('hex').toUpperCase(), order_id: id, value: reward.value, recipient: reward.recipient, delivery: { method: reward.delivery.method, status: 'SCHEDULED' } }],
          };
          const decision = this.onOrder?.(order);
          if (decision === 'refuse') return send(422, { errors: { message: 'Funding source has insufficient balance' } });
          this.orders.push(order);
          this.orderedWith.set(order.id, token);
          if (decision === 'hang') return;
          return send(200, { order });
        }
        if (request.method === 'GET' && url.pathname === '/api/v2/funding_sources') {
          return send(200, { funding_sources: this.fundingSources.map((source) => ({ ...source, usage_permissions: ['api_orders'], status: 'active', meta: {} })) });
        }
        const found = /^\/api\/v2\/orders\/([A-Z0-9]+)$/.exec(url.pathname);
        if (request.method === 'GET' && found) {
          const order = this.orders.find((o) => o.id === found[1]);
          return order ? send(200, { order }) : send(404, { errors: { message: 'Not found' } });
        }
        send(404, { errors: { message: 'Not found' } });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v2`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
