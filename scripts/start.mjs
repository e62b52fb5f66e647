// `corepack pnpm start`: build the widget and the admin app, then run the server in this one
// process. pnpm runs scripts through a shell, and a shell that is stopped does not pass the
// signal on: so when this process is left behind (its parent is gone), it stops itself the way
// SIGTERM stops the server, and nothing is left running after pnpm exits.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 500).unref();

const { build: buildWidget } = await import('../packages/widget/build.mjs');
await buildWidget();
await import('../packages/admin/build.mjs');
await import('../packages/server/src/main.ts');
