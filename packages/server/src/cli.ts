// The operator's commands. Reads the same environment as the server (DATABASE_URL, or the
// embedded database in DATA_DIR; ENCRYPTION_KEY; PUBLIC_URL) through the same config loader.
//
//   beckon setup --workspace "Acme" --owner-email owner@acme.test [--owner-name "Ada"]
//   beckon members --workspace "Acme"            (a name or an id)
//   beckon sign-in-link --email owner@acme.test [--workspace "Acme"]
//   beckon migrate
//
// In development: `corepack pnpm beckon …`; in the image: `node dist/cli.js …`. With the embedded
// database, stop the server first: PGlite is opened by one process at a time.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { asc, eq, or } from 'drizzle-orm';
import { CLI_LINK_HOURS, createSignInLink, findUserByEmail, membershipsOf, normalizeEmail, setupWorkspace } from './auth/accounts.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { openDatabase, type Database, type DatabaseHandle } from './db/client.js';
import { memberships, users, workspaces } from './db/schema.js';
import { loadOrCreateDevKey, SecretBox } from './security/secrets.js';
import { createWorkspace } from './services/seed.js';
import { isUuid } from '@beckon/shared/ids';

const USAGE = `Usage: beckon <command> [options]

Commands:
  setup --workspace NAME --owner-email EMAIL [--owner-name NAME]
      Create the workspace and its owner (once; running it again creates nothing twice)
      and print a one-time sign-in link for the owner, valid ${CLI_LINK_HOURS} hours.
  members --workspace NAME|ID
      List who can sign in to the workspace, with their roles.
  sign-in-link --email EMAIL [--workspace NAME|ID]
      Print a new one-time sign-in link (valid ${CLI_LINK_HOURS} hours), e.g. for a locked-out owner.
  migrate
      Apply the database migrations.

The environment is the server's: DATABASE_URL (or the embedded database in DATA_DIR),
ENCRYPTION_KEY, PUBLIC_URL.`;

class UsageError extends Error {}

async function findWorkspace(db: Database, nameOrId: string) {
  const rows = await db
    .select()
    .from(workspaces)
    .where(isUuid(nameOrId) ? or(eq(workspaces.id, nameOrId), eq(workspaces.name, nameOrId)) : eq(workspaces.name, nameOrId))
    .orderBy(asc(workspaces.createdAt));
  if (rows.length === 0) throw new UsageError(`No workspace named or with id "${nameOrId}"`);
  if (rows.length > 1) throw new UsageError(`${rows.length} workspaces are named "${nameOrId}"; give its id instead:\n${rows.map((row) => `  ${row.id}`).join('\n')}`);
  return rows[0]!;
}

function required(value: string | undefined, flag: string): string {
  if (!value?.trim()) throw new UsageError(`--${flag} is required`);
  return value.trim();
}

export async function runCli(argv: string[], out: (line: string) => void = (line) => process.stdout.write(`${line}\n`), env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: 'string' },
      'owner-email': { type: 'string' },
      'owner-name': { type: 'string' },
      email: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command || command === 'help') {
    out(USAGE);
    return;
  }
  if (!['setup', 'members', 'sign-in-link', 'migrate'].includes(command)) throw new UsageError(`Unknown command "${command}"`);

  const config: Config = loadConfig(env);
  const database: DatabaseHandle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const { db } = database;
    if (command === 'migrate') {
      out(`Migrations applied (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}).`);
      return;
    }
    if (command === 'setup') {
      const workspaceName = required(values.workspace, 'workspace');
      const ownerEmail = normalizeEmail(required(values['owner-email'], 'owner-email'));
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(ownerEmail)) throw new UsageError('--owner-email must be an email address');
      const secretBox = new SecretBox(config.encryptionKey ?? loadOrCreateDevKey(config.dataDir));
      const result = await setupWorkspace(db, {
        workspaceName,
        ownerEmail,
        ownerName: values['owner-name'],
        createWorkspace: async (tx) => (await createWorkspace(tx as unknown as Database, secretBox, { name: workspaceName, allowedOrigins: [], apiKey: false })).workspaceId,
      });
      out(`Workspace "${workspaceName}" ${result.createdWorkspace ? 'created' : 'already set up'} (${result.workspaceId}).`);
      out(`Owner ${ownerEmail} ${result.createdUser ? 'created' : 'already exists'}.`);
      const url = await createSignInLink(db, config.publicUrl, { userId: result.userId, workspaceId: result.workspaceId, ttlMs: CLI_LINK_HOURS * 3_600_000 });
      out(`Open this link to sign in as the owner (single use, valid ${CLI_LINK_HOURS} hours); then set a password, invite the team, or set up single sign-on:`);
      out(url);
      return;
    }
    if (command === 'members') {
      const workspace = await findWorkspace(db, required(values.workspace, 'workspace'));
      const rows = await db
        .select({ role: memberships.role, email: users.email, name: users.name, since: memberships.createdAt })
        .from(memberships)
        .innerJoin(users, eq(memberships.userId, users.id))
        .where(eq(memberships.workspaceId, workspace.id))
        .orderBy(asc(memberships.createdAt));
      out(`${workspace.name} (${workspace.id}): ${rows.length} ${rows.length === 1 ? 'person' : 'people'}`);
      for (const row of rows) out(`  ${row.role.padEnd(11)} ${row.email}  ${row.name}`);
      return;
    }
    // sign-in-link
    const email = normalizeEmail(required(values.email, 'email'));
    const user = await findUserByEmail(db, email);
    if (!user) throw new UsageError(`No account has the email ${email}`);
    const places = await membershipsOf(db, user.id);
    const workspace = values.workspace ? await findWorkspace(db, values.workspace) : places[0]?.workspace;
    if (workspace && !places.some((place) => place.workspace.id === workspace.id)) throw new UsageError(`${email} is not in ${workspace.name}`);
    const url = await createSignInLink(db, config.publicUrl, { userId: user.id, workspaceId: workspace?.id ?? null, ttlMs: CLI_LINK_HOURS * 3_600_000 });
    out(`Sign-in link for ${email} (single use, valid ${CLI_LINK_HOURS} hours):`);
    out(url);
  } finally {
    await database.close();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  runCli(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        console.error(`${(error as Error).message}\n\n${USAGE}`);
        process.exit(64); // EX_USAGE
      }
      if (error instanceof ConfigError) {
        console.error(error.message);
        process.exit(78); // EX_CONFIG
      }
      console.error(error);
      process.exit(1);
    },
  );
}
