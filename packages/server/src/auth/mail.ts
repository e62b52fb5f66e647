// The account emails (sign-in links, invitations) go through the jobs table like every other
// mail, so an SMTP outage delays them and never loses them. The link itself is a bearer
// credential, so the job carries it sealed with the server's key, never in the clear.
import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { invitations, users, workspaces } from '../db/schema.js';
import { messageIdFor, type Mailer } from '../mail/index.js';
import { button, muted, paragraph, renderHtml, renderText } from '../mail/layout.js';
import type { SecretBox } from '../security/secrets.js';
import type { AccountMailPayload, JobHandlers } from '../jobs/kinds.js';
import { enqueue } from '../jobs/queue.js';

export async function enqueueAccountMail(db: Database | Transaction, secretBox: SecretBox, mail: { kind: 'sign_in'; userId: string; url: string; minutes: number } | { kind: 'invitation'; invitationId: string; url: string; inviter: string | null }): Promise<void> {
  const { url, ...rest } = mail;
  const sealedUrl = secretBox.seal(url);
  const payload: AccountMailPayload = rest.kind === 'sign_in' ? { ...rest, sealedUrl } : { ...rest, sealedUrl };
  await enqueue(db, { kind: 'mail.account', payload, maxAttempts: 5 });
}

export function accountMailHandlers(deps: { db: Database; mailer: Mailer; secretBox: SecretBox; from: string }): Pick<JobHandlers, 'mail.account'> {
  return {
    'mail.account': async (job) => {
      const { payload } = job;
      const url = deps.secretBox.open(payload.sealedUrl);
      let to: string;
      let subject: string;
      let blocks;
      if (payload.kind === 'sign_in') {
        const [user] = await deps.db.select({ email: users.email }).from(users).where(eq(users.id, payload.userId));
        if (!user) return; // the account is gone; nothing to send
        to = user.email;
        subject = 'Your Beckon sign-in link';
        blocks = [
          paragraph('Use this link to sign in to Beckon. It works once, for the next ', `${payload.minutes} minutes.`),
          button(url, 'Sign in to Beckon'),
          muted('If you did not ask for this, ignore this email: nobody can sign in without the link.'),
        ];
      } else {
        const [row] = await deps.db
          .select({ email: invitations.email, workspace: workspaces.name, acceptedAt: invitations.acceptedAt, revokedAt: invitations.revokedAt })
          .from(invitations)
          .innerJoin(workspaces, eq(invitations.workspaceId, workspaces.id))
          .where(eq(invitations.id, payload.invitationId));
        if (!row || row.acceptedAt || row.revokedAt) return;
        to = row.email;
        subject = `You're invited to ${row.workspace} on Beckon`;
        blocks = [
          paragraph(`${payload.inviter ?? 'A teammate'} invited you to join ${row.workspace} on Beckon, where your team recruits and schedules customer interviews.`),
          button(url, 'Accept the invitation'),
          muted('The link expires in 7 days. If you were not expecting this, you can ignore it.'),
        ];
      }
      await deps.mailer.send({ to: [to], subject, text: renderText(blocks), html: renderHtml(subject, blocks), messageId: messageIdFor(`job-${job.id}.account`, deps.from) });
    },
  };
}
