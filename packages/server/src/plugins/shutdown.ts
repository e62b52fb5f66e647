// Node closes idle keep-alive connections at shutdown, but a connection whose request is
// still running becomes idle later and would hold the process until its keep-alive timeout:
// answers sent while closing ask the client to close the connection.
import fp from 'fastify-plugin';

export const shutdownPlugin = fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    // A callback hook: it runs on every answer, and an async one costs a promise each time.
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (closing) reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'shutdown' },
);
