// A real SMTP server (smtp-server) on a free loopback port, keeping every message it accepts.
import net from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  user: unknown;
  raw: string;
}

export interface TestSmtp {
  port: number;
  received: Received[];
  /** TCP connections the server accepted. */
  connections(): number;
  close(): Promise<void>;
}

export async function startSmtp(options: { requireAuth?: boolean; rejectRecipient?: string } = {}): Promise<TestSmtp> {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    logger: false,
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    // Plain SMTP on loopback: no STARTTLS offer, so the client does not try to upgrade to a self-signed cert.
    disabledCommands: options.requireAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !options.requireAuth,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === 'beckon' && auth.password === 's3cret:with@chars') return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      if (address.address === options.rejectRecipient) return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: session.user,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as net.AddressInfo).port;
  return { port, received, connections: () => connections, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
