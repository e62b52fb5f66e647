import type { Session } from '@beckon/shared/api';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, setUnauthorizedHandler } from './api.js';
import type { Capability } from './lib/roles.js';
import { ROLE_LABELS } from './lib/roles.js';
import { href, interceptLinks, match, navigate, requestHeadingFocus, useLocation, type Location } from './router.js';
import { SignIn } from './screens/SignIn.js';
import { lazyScreen, preloadWhenIdle } from './lazy.js';
import { can, setSession } from './session.js';
import { Notice, PageHeading, toApiError, useFlash } from './ui/common.js';
import { DueIncentiveCount } from './ui/due-incentives.js';

// Each screen is its own chunk (see lazy.tsx); the sign-in screen is part of the shell.
const BookingsScreen = lazyScreen(() => import('./screens/Bookings.js').then((m) => m.BookingsScreen));
const FunnelScreen = lazyScreen(() => import('./screens/Funnel.js').then((m) => m.FunnelScreen));
const HomeScreen = lazyScreen(() => import('./screens/Home.js').then((m) => m.HomeScreen));
const IncentivesScreen = lazyScreen(() => import('./screens/Incentives.js').then((m) => m.IncentivesScreen));
const MemberDetailScreen = lazyScreen(() => import('./screens/MemberDetail.js').then((m) => m.MemberDetailScreen));
const MembersScreen = lazyScreen(() => import('./screens/Members.js').then((m) => m.MembersScreen));
const PrivacyScreen = lazyScreen(() => import('./screens/Privacy.js').then((m) => m.PrivacyScreen));
const PeopleScreen = lazyScreen(() => import('./screens/people/People.js').then((m) => m.PeopleScreen));
const PersonDetailScreen = lazyScreen(() => import('./screens/people/PersonDetail.js').then((m) => m.PersonDetailScreen));
const AccountScreen = lazyScreen(() => import('./screens/accounts/Account.js').then((m) => m.AccountScreen));
const ApiKeysScreen = lazyScreen(() => import('./screens/accounts/ApiKeys.js').then((m) => m.ApiKeysScreen));
const AuditLogScreen = lazyScreen(() => import('./screens/accounts/AuditLog.js').then((m) => m.AuditLogScreen));
const SettingsScreen = lazyScreen(() => import('./screens/settings/index.js').then((m) => m.SettingsScreen));
const StudiesScreen = lazyScreen(() => import('./screens/Studies.js').then((m) => m.StudiesScreen));
const StudyEditorScreen = lazyScreen(() => import('./screens/StudyEditor.js').then((m) => m.StudyEditorScreen));
const TeamScreen = lazyScreen(() => import('./screens/accounts/Team.js').then((m) => m.TeamScreen));
const WebhooksScreen = lazyScreen(() => import('./screens/accounts/Webhooks.js').then((m) => m.WebhooksScreen));
const SCREENS = [BookingsScreen, FunnelScreen, HomeScreen, IncentivesScreen, MemberDetailScreen, MembersScreen, PrivacyScreen, PeopleScreen, PersonDetailScreen, AccountScreen, ApiKeysScreen, AuditLogScreen, SettingsScreen, StudiesScreen, StudyEditorScreen, TeamScreen, WebhooksScreen];

function Screen({ location }: { location: Location }) {
  const { path } = location;
  let params: Record<string, string> | null;
  if (path === '/') return <HomeScreen />;
  if (path === '/studies') return <StudiesWithFlash />;
  if (path === '/studies/new') return can('studies:write') ? <StudyEditorScreen /> : <NotAllowed />;
  if ((params = match('/studies/:id/funnel', path))) return <FunnelScreen studyId={params.id!} location={location} />;
  if ((params = match('/studies/:id', path))) return <StudyEditorScreen studyId={params.id!} />;
  if (path === '/members') return <MembersScreen />;
  if ((params = match('/members/:id', path))) return <MemberDetailScreen memberId={params.id!} />;
  if (path === '/bookings') return <BookingsScreen location={location} />;
  if (path === '/incentives') return <IncentivesScreen location={location} />;
  if (path === '/account') return <AccountScreen />;
  const allowed = NAV.find((item) => item.path === '/' + path.split('/')[1]);
  if (allowed?.needs && !can(allowed.needs)) return <NotAllowed />;
  if (path === '/people') return <PeopleScreen location={location} />;
  if ((params = match('/people/:id', path))) return <PersonDetailScreen personId={params.id!} />;
  if (path === '/settings') return <SettingsScreen />;
  if (path === '/privacy') return <PrivacyScreen />;
  if (path === '/team') return <TeamScreen />;
  if (path === '/api-keys') return <ApiKeysScreen />;
  if (path === '/webhooks') return <WebhooksScreen />;
  if (path === '/audit-log') return <AuditLogScreen location={location} />;
  return (
    <>
      <PageHeading title="Not found">Page not found</PageHeading>
      <p>
        There is no page at this address. <a href={href('/studies')}>Go to studies</a>.
      </p>
    </>
  );
}

function NotAllowed() {
  return (
    <>
      <PageHeading title="Not available">Not available to your role</PageHeading>
      <p>
        Your role in this workspace cannot open this page. Ask an admin if you need it. <a href={href('/studies')}>Go to studies</a>.
      </p>
    </>
  );
}

function StudiesWithFlash() {
  return <StudiesScreen flash={useFlash()} />;
}

/** The main links; `needs` hides one from a role that cannot use it (and its page says so). */
const NAV: { path: string; label: string; needs?: Capability }[] = [
  { path: '/', label: 'This week' },
  { path: '/studies', label: 'Studies' },
  { path: '/members', label: 'Members' },
  { path: '/bookings', label: 'Bookings' },
  { path: '/people', label: 'People', needs: 'participants:read' },
  { path: '/incentives', label: 'Incentives' },
  { path: '/settings', label: 'Settings', needs: 'settings:write' },
  { path: '/privacy', label: 'Privacy', needs: 'participants:erase' },
  { path: '/team', label: 'Team', needs: 'team:write' },
  { path: '/api-keys', label: 'API keys', needs: 'api_keys:manage' },
  { path: '/webhooks', label: 'Webhooks', needs: 'webhooks:manage' },
  { path: '/audit-log', label: 'Audit log', needs: 'audit:read' },
];

/** Shown to someone with more than one workspace: which one the app acts on, and a switch. */
function WorkspaceSwitch(props: { session: Session; onSwitched: (session: Session) => void }) {
  const current = props.session.workspace!;
  const [chosen, setChosen] = useState(current.id);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="workspace-switch"
      aria-label="Switch workspace"
      onSubmit={async (event) => {
        event.preventDefault();
        if (chosen === current.id) return;
        setBusy(true);
        try {
          props.onSwitched(await api.switchWorkspace(chosen));
        } catch (e) {
          setError(toApiError(e).message);
          setBusy(false);
        }
      }}
    >
      <label for="workspace-switch">Workspace</label>
      <select id="workspace-switch" value={chosen} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)} aria-describedby={error ? 'workspace-switch-error' : undefined}>
        {props.session.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({ROLE_LABELS[w.role]})
          </option>
        ))}
      </select>
      <button type="submit" class="button-small button-secondary" disabled={busy || chosen === current.id}>
        Switch
      </button>
      {error && (
        <p class="error" id="workspace-switch-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function App() {
  // undefined: still asking the server; null: nobody signed in.
  const [session, setCurrent] = useState<Session | null | undefined>(undefined);
  const [reason, setReason] = useState<string | undefined>();
  const location = useLocation();
  const root = useRef<HTMLDivElement>(null);
  const signedIn = (next: Session | null) => {
    setSession(next);
    setCurrent(next);
  };

  useEffect(() => (root.current ? interceptLinks(root.current) : undefined), []);
  useEffect(() => {
    // Arriving from a sign-in link, an invitation or single sign-on, or reloading: ask who is signed in.
    api.session().then(signedIn, () => signedIn(null));
  }, []);
  useEffect(() => {
    setUnauthorizedHandler((error) => {
      setReason(`You were signed out: ${error.message}`);
      signedIn(null);
    });
  }, []);

  // Signed in: the other screens' code comes while the browser is idle, so moving does not wait.
  const signedInNow = Boolean(session?.workspace);
  useEffect(() => (signedInNow ? preloadWhenIdle(SCREENS) : undefined), [signedInNow]);

  const section = '/' + (location.path.split('/')[1] ?? '');

  const signOut = async () => {
    await api.signOut().catch(() => undefined);
    setReason(undefined);
    signedIn(null);
    navigate(href('/studies'), { replace: true });
  };

  return (
    <div ref={root} class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      {session === undefined ? (
        <main id="main" class="signin">
          <p class="loading" role="status">
            Loading…
          </p>
        </main>
      ) : session === null ? (
        <SignIn
          reason={reason}
          onSignedIn={(next) => {
            requestHeadingFocus();
            setReason(undefined);
            signedIn(next);
          }}
        />
      ) : (
        <>
          <header class="topbar">
            <div class="topbar-inner">
              <a class="brand" href={href('/')}>
                <span class="brand-mark" aria-hidden="true" />
                Beckon
              </a>
              {session.workspace && (
                <nav aria-label="Main">
                  <ul>
                    {NAV.filter((item) => !item.needs || can(item.needs)).map((item) => (
                      <li key={item.path}>
                        <a href={href(item.path)} aria-current={section === item.path ? 'page' : undefined}>
                          {item.label}
                          {item.path === '/incentives' && <DueIncentiveCount path={location.path} />}
                        </a>
                      </li>
                    ))}
                  </ul>
                </nav>
              )}
              <div class="whoami">
                {session.workspace && session.workspaces.length > 1 ? (
                  <WorkspaceSwitch
                    key={session.workspace.id}
                    session={session}
                    onSwitched={(next) => {
                      signedIn(next);
                      navigate(href('/studies'));
                    }}
                  />
                ) : (
                  session.workspace && <span class="whoami-workspace">{session.workspace.name}</span>
                )}
                <span class="whoami-person">
                  <a href={href('/account')} title="Your account" aria-current={location.path === '/account' ? 'page' : undefined}>
                    {session.user.name || session.user.email}
                  </a>
                  {session.workspace && <span class="badge">{ROLE_LABELS[session.workspace.role]}</span>}
                </span>
                <button type="button" class="button-small button-ghost" onClick={() => void signOut()}>
                  Sign out
                </button>
              </div>
            </div>
          </header>
          <main id="main" class="main" tabIndex={-1}>
            {session.workspace ? (
              <Screen key={`${session.workspace.id} ${location.path}`} location={location} />
            ) : (
              <>
                <PageHeading title="No workspace">You are not in a workspace</PageHeading>
                <Notice>
                  <p>You are signed in as {session.user.email}, but no workspace has you as a member (any more). Ask an admin of your workspace to invite you again.</p>
                </Notice>
              </>
            )}
          </main>
        </>
      )}
    </div>
  );
}
