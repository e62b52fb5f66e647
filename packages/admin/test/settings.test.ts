import { describe, expect, it } from 'vitest';
import type { Workspace } from '@beckon/shared/api';
import { fieldOfError } from '../src/lib/fields.js';
import { draftFromWorkspace, embedSnippet, normaliseLocale, parseOrigin, withoutBlankOrigins, workspaceUpdateFromDraft } from '../src/lib/workspace-form.js';

const workspace: Workspace = {
  id: '00000000-0000-4000-8000-000000000001',
  publicKey: 'pk_test_123',
  name: 'Acme',
  allowedOrigins: ['https://app.acme.test'],
  requireIdentityVerification: false,
  recontactDays: 90,
  privacyUrl: null,
  locale: 'en',
  theme: { brand: '#4f46e5', custom: 'kept' },
  timeZone: 'Europe/Berlin',
  weeklyTarget: 1,
};

describe('allowed origins', () => {
  it('accepts scheme://host[:port] as browsers send it in the Origin header', () => {
    expect(parseOrigin('https://app.example.com')).toEqual({ origin: 'https://app.example.com' });
    expect(parseOrigin('  HTTPS://App.Example.com/ ')).toEqual({ origin: 'https://app.example.com' });
    expect(parseOrigin('https://app.example.com:443')).toEqual({ origin: 'https://app.example.com' });
    expect(parseOrigin('http://localhost:3000')).toEqual({ origin: 'http://localhost:3000' });
    expect(parseOrigin('http://[::1]:8080')).toEqual({ origin: 'http://[::1]:8080' });
  });

  it('refuses paths, other schemes and non-addresses, saying what to enter', () => {
    expect(parseOrigin('https://app.example.com/dashboard?x=1')).toEqual({ problem: 'Enter the origin only, without a path: https://app.example.com' });
    expect(parseOrigin('app.example.com')).toMatchObject({ problem: expect.stringContaining('Enter an origin like https://app.example.com') });
    expect(parseOrigin('ftp://files.example.com')).toMatchObject({ problem: expect.stringContaining('http:// or https://') });
    expect(parseOrigin('https://app example.com')).toMatchObject({ problem: expect.stringContaining('Enter an origin like') });
    expect(parseOrigin('https://app.example.com:99999')).toMatchObject({ problem: expect.stringContaining('not a valid origin') });
    expect(parseOrigin('https://user@app.example.com')).toEqual({ problem: 'Leave out the user name: https://app.example.com' });
    expect(parseOrigin('')).toMatchObject({ problem: expect.stringContaining('Enter an origin') });
  });
});

describe('workspace settings form', () => {
  it('sends only what changed, normalised; nothing when nothing changed', () => {
    const draft = draftFromWorkspace(workspace);
    expect(workspaceUpdateFromDraft(draft, workspace)).toEqual({ body: null });
    const edited = {
      ...draft,
      name: ' Acme Inc ',
      allowedOrigins: ['https://app.acme.test', 'https://Staging.acme.test/'],
      locale: 'en_gb',
      privacyUrl: 'https://acme.test/privacy',
      theme: { ...draft.theme, brand: '', radius: ' 12px ' },
    };
    expect(workspaceUpdateFromDraft(edited, workspace)).toEqual({
      body: {
        name: 'Acme Inc',
        allowedOrigins: ['https://app.acme.test', 'https://staging.acme.test'],
        locale: 'en-GB',
        privacyUrl: 'https://acme.test/privacy',
        theme: { custom: 'kept', radius: '12px' },
      },
    });
    expect(workspaceUpdateFromDraft({ ...draft, privacyUrl: '  ', recontactDays: '30', requireIdentityVerification: true }, { ...workspace, privacyUrl: 'https://acme.test/p' })).toEqual({
      body: { privacyUrl: null, recontactDays: 30, requireIdentityVerification: true },
    });
  });

  it('reports every problem at its field, origins by row', () => {
    const draft = { ...draftFromWorkspace(workspace), name: ' ', allowedOrigins: ['https://a.test', 'https://a.test/', 'https://b.test/app'], recontactDays: '4000', privacyUrl: 'acme.test/privacy', locale: 'english' };
    const result = workspaceUpdateFromDraft(draft, workspace);
    expect('problems' in result && result.problems).toEqual([
      { field: 'name', message: 'Workspace name is required' },
      { field: 'allowedOrigins.1', message: 'https://a.test is already in the list' },
      { field: 'allowedOrigins.2', message: 'Enter the origin only, without a path: https://b.test' },
      { field: 'recontactDays', message: 'Ask again after must be between 0 and 3650' },
      { field: 'privacyUrl', message: 'Enter the full address of the privacy policy, starting with https://' },
      { field: 'locale', message: 'Enter a language code like en, or a language and country like en-GB' },
    ]);
  });

  it('drops rows left empty so rows and the server’s allowedOrigins.N line up', () => {
    const draft = { ...draftFromWorkspace(workspace), allowedOrigins: ['', 'https://a.test', '  '] };
    expect(withoutBlankOrigins(draft).allowedOrigins).toEqual(['https://a.test']);
    const unchanged = draftFromWorkspace(workspace);
    expect(withoutBlankOrigins(unchanged)).toBe(unchanged);
  });

  it('reads locales the way people type them', () => {
    expect(normaliseLocale('de')).toBe('de');
    expect(normaliseLocale('EN-gb')).toBe('en-GB');
    expect(normaliseLocale('fr_CA')).toBe('fr-CA');
    expect(normaliseLocale('eng')).toBeUndefined();
    expect(normaliseLocale('en-GBR')).toBeUndefined();
  });

  it('puts an unreachable calendar server on the server address field', () => {
    expect(fieldOfError({ code: 'calendar_unreachable' })).toBe('serverUrl');
    expect(fieldOfError({ code: 'calendar_unreachable', field: 'privateKey' })).toBe('privateKey');
  });
});

describe('embed snippet', () => {
  it('is the README’s snippet: the stub that adds this server’s script after load, and init with this server as apiHost', () => {
    expect(embedSnippet('pk_live_abc', 'https://beckon.example.com')).toBe(
      [
        '<script>',
        "  !function(w,d,n,u,c){w[n]=w[n]||function(){(w[n].q=w[n].q||[]).push(arguments)};function l(){var s=d.createElement('script');s.src=u;c&&(s.nonce=c.nonce);d.head.appendChild(s)}d.readyState=='complete'?l():w.addEventListener('load',l)}(window,document,'beckon','https://beckon.example.com/widget/beckon.js',document.currentScript);",
        "  beckon('init', { publicKey: 'pk_live_abc', apiHost: 'https://beckon.example.com' });",
        '</script>',
      ].join('\n'),
    );
  });

  it('cannot end its own script or string whatever the key holds', () => {
    const snippet = embedSnippet("pk_'</script>", 'http://127.0.0.1:8080');
    expect(snippet).toContain("publicKey: 'pk_\\u0027\\u003c/script>'");
    expect(snippet.match(/<\/script>/g)).toHaveLength(1);
    expect(embedSnippet('pk_x', "http://x'</script>")).not.toContain("x'<");
  });
});
