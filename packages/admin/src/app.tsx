import { useEffect, useRef, useState } from 'preact/hooks';
import { setUnauthorizedHandler } from './api.js';
import { href, interceptLinks, match, navigate, requestHeadingFocus, useLocation, type Location } from './router.js';
import { BookingsScreen } from './screens/Bookings.js';
import { FunnelScreen } from './screens/Funnel.js';
import { IncentivesScreen } from './screens/Incentives.js';
import { MemberDetailScreen } from './screens/MemberDetail.js';
import { MembersScreen } from './screens/Members.js';
import { PrivacyScreen } from './screens/Privacy.js';
import { SettingsScreen } from './screens/settings/index.js';
import { SignIn } from './screens/SignIn.js';
import { StudiesScreen } from './screens/Studies.js';
import { StudyEditorScreen } from './screens/StudyEditor.js';
import { clearSecretKey, getSecretKey } from './session.js';
import { endCookieSession, resumeCookieSession } from './cookie-session.js';
import { PageHeading, useFlash } from './ui/common.js';
import { DueIncentiveCount } from './ui/due-incentives.js';

function Screen({ location }: { location: Location }) {
  const { path } = location;
  let params: Record<string, string> | null;
  if (path === '/' || path === '/studies') return <StudiesWithFlash />;
  if (path === '/studies/new') return <StudyEditorScreen />;
  if ((params = match('/studies/:id/funnel', path))) return <FunnelScreen studyId={params.id!} location={location} />;
  if ((params = match('/studies/:id', path))) return <StudyEditorScreen studyId={params.id!} />;
  if (path === '/members') return <MembersScreen />;
  if ((params = match('/members/:id', path))) return <MemberDetailScreen memberId={params.id!} />;
  if (path === '/bookings') return <BookingsScreen location={location} />;
  if (path === '/incentives') return <IncentivesScreen location={location} />;
  if (path === '/settings') return <SettingsScreen />;
  if (path === '/privacy') return <PrivacyScreen />;
  return (
    <>
      <PageHeading title="Not found">Page not found</PageHeading>
      <p>
        There is no page at this address. <a href={href('/studies')}>Go to studies</a>.
      </p>
    </>
  );
}

function StudiesWithFlash() {
  return <StudiesScreen flash={useFlash()} />;
}

const NAV = [
  { path: '/studies', label: 'Studies' },
  { path: '/members', label: 'Members' },
  { path: '/bookings', label: 'Bookings' },
  { path: '/incentives', label: 'Incentives' },
  { path: '/settings', label: 'Settings' },
  { path: '/privacy', label: 'Privacy' },
];

export function App() {
  const [signedIn, setSignedIn] = useState(() => Boolean(getSecretKey()));
  const [reason, setReason] = useState<string | undefined>();
  const location = useLocation();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => (root.current ? interceptLinks(root.current) : undefined), []);
  useEffect(() => {
    // Arriving from a sign-in link (or reloading while signed in as oneself): the cookie session.
    if (!signedIn) void resumeCookieSession().then((resumed) => resumed && setSignedIn(true));
  }, []);
  useEffect(() => {
    setUnauthorizedHandler((error) => {
      clearSecretKey();
      setReason(`You were signed out: ${error.message}`);
      setSignedIn(false);
    });
  }, []);

  const section = '/' + (location.path.split('/')[1] || 'studies');

  return (
    <div ref={root} class="app">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      {!signedIn ? (
        <SignIn
          reason={reason}
          onSignedIn={() => {
            requestHeadingFocus();
            setReason(undefined);
            setSignedIn(true);
          }}
        />
      ) : (
        <>
          <header class="topbar">
            <div class="topbar-inner">
              <a class="brand" href={href('/studies')}>
                <span class="brand-mark" aria-hidden="true" />
                Beckon
              </a>
              <nav aria-label="Main">
                <ul>
                  {NAV.map((item) => (
                    <li key={item.path}>
                      <a href={href(item.path)} aria-current={section === item.path ? 'page' : undefined}>
                        {item.label}
                        {item.path === '/incentives' && <DueIncentiveCount path={location.path} />}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
              <button
                type="button"
                class="button-small button-ghost signout"
                onClick={() => {
                  clearSecretKey();
                  void endCookieSession();
                  setReason(undefined);
                  setSignedIn(false);
                  navigate(href('/studies'), { replace: true });
                }}
              >
                Sign out
              </button>
            </div>
          </header>
          <main id="main" class="main" tabIndex={-1}>
            <Screen key={location.path} location={location} />
          </main>
        </>
      )}
    </div>
  );
}
