// The console shell: who is signed in, the navigation their role allows, and the page for the current path.
import { lazy, Suspense, useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, del, onUnauthorized, type Me } from './api.ts';
import { SessionContext } from './hooks.ts';
import { Link, match, navigate, useLocation } from './router.tsx';
import { Loading } from './ui.tsx';
import { Login } from './pages/Login.tsx';
import { Overview } from './pages/Overview.tsx';
import { Lists } from './pages/Lists.tsx';
import { Audit } from './pages/Audit.tsx';
import { Admin } from './pages/Admin.tsx';
import { Models } from './pages/Models.tsx';

// The heavy pages load on first visit: the editor (CodeMirror) and the graphs (cytoscape) stay out of the first download.
const Strategies = lazy(() => import('./pages/Strategies.tsx').then((m) => ({ default: m.Strategies })));
const EntitySearch = lazy(() => import('./pages/Entities.tsx').then((m) => ({ default: m.EntitySearch })));
const EntityPage = lazy(() => import('./pages/Entities.tsx').then((m) => ({ default: m.EntityPage })));
const CaseList = lazy(() => import('./pages/Cases.tsx').then((m) => ({ default: m.CaseList })));
const CasePage = lazy(() => import('./pages/Cases.tsx').then((m) => ({ default: m.CasePage })));

interface Route { pattern: string; permission: string; render: (p: Record<string, string>) => ReactNode }

const ROUTES: Route[] = [
  { pattern: '/', permission: 'read', render: () => <Overview /> },
  { pattern: '/strategies', permission: 'read', render: () => <Strategies /> },
  { pattern: '/entities', permission: 'read', render: () => <EntitySearch /> },
  { pattern: '/entities/:type/:id', permission: 'read', render: (p) => <EntityPage type={p.type!} id={p.id!} /> },
  { pattern: '/cases', permission: 'read', render: () => <CaseList /> },
  { pattern: '/cases/:id', permission: 'read', render: (p) => <CasePage id={p.id!} /> },
  { pattern: '/lists', permission: 'read', render: () => <Lists /> },
  { pattern: '/models', permission: 'read', render: () => <Models /> },
  { pattern: '/audit', permission: 'audit', render: () => <Audit /> },
  { pattern: '/admin', permission: 'admin', render: () => <Admin /> },
];

const NAV: { to: string; label: string; permission: string; icon: string }[] = [
  { to: '/', label: 'Overview', permission: 'read', icon: 'M3 13h4v8H3zM10 3h4v18h-4zM17 9h4v12h-4z' },
  { to: '/strategies', label: 'Strategies', permission: 'read', icon: 'M4 4h16v4H4zM4 10h10v4H4zM4 16h16v4H4z' },
  { to: '/entities', label: 'Entities', permission: 'read', icon: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21a8 8 0 0 1 16 0z' },
  { to: '/cases', label: 'Cases', permission: 'read', icon: 'M3 7h18v13H3zM8 7V4h8v3' },
  { to: '/lists', label: 'Lists', permission: 'read', icon: 'M8 6h13M8 12h13M8 18h13M3 6h1M3 12h1M3 18h1' },
  { to: '/models', label: 'Models', permission: 'read', icon: 'M4 19l5-6 4 3 7-9M4 5v14h16' },
  { to: '/audit', label: 'Audit log', permission: 'audit', icon: 'M12 8v5l3 2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z' },
  { to: '/admin', label: 'Users and keys', permission: 'admin', icon: 'M15 7a4 4 0 1 1-8 0 4 4 0 0 1 8 0zM3 21a8 8 0 0 1 13-6M19 14v6M16 17h6' },
];

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const { path } = useLocation();

  const refresh = useCallback(async () => {
    try { setMe(await api<Me>('/v1/me')); } catch { setMe(null); }
  }, []);
  useEffect(() => { void refresh(); }, [refresh]);
  useEffect(() => onUnauthorized(() => setMe(null)), []);

  const logout = useCallback(async () => {
    try { await del('/v1/sessions'); } catch { /* the session may already be gone */ }
    setMe(null);
    navigate('/');
  }, []);

  if (me === undefined) return <div className="boot"><Loading what="Starting the console" /></div>;
  if (me === null) return <Login onLogin={refresh} />;

  const can = (p: string) => me.permissions.includes(p);
  let page: ReactNode = <NotFound />;
  for (const r of ROUTES) {
    const params = match(r.pattern, path);
    if (params) { page = can(r.permission) ? r.render(params) : <Forbidden />; break; }
  }
  const active = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(to + '/'));

  return (
    <SessionContext.Provider value={{ me, can, logout }}>
      <div className="shell">
        <nav className="sidebar" aria-label="Main">
          <div className="sidebar-inner">
          <div className="brand">
            <svg width="22" height="22" viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1 2 3.5v4C2 11 4.6 14 8 15c3.4-1 6-4 6-7.5v-4z" fill="#2a6df4" /></svg>
            Bulwark
          </div>
          {NAV.filter((n) => can(n.permission)).map((n) => (
            <Link key={n.to} to={n.to} className={active(n.to) ? 'nav-item active' : 'nav-item'}>
              <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true"><path d={n.icon} fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" /></svg>
              {n.label}
            </Link>
          ))}
          <div className="whoami">
            <div className="who">{me.actor.replace(/^user:/, '')}</div>
            <div className="role">{me.role ?? me.kind}</div>
            <button className="btn small ghost" onClick={logout}>Sign out</button>
          </div>
          </div>
        </nav>
        <main className="content"><Suspense fallback={<Loading what="Loading the page" />}>{page}</Suspense></main>
      </div>
    </SessionContext.Provider>
  );
}

function NotFound() {
  return <div className="state empty"><strong>No such page</strong><Link to="/">Back to the overview</Link></div>;
}

function Forbidden() {
  return <div className="state error"><strong>Your role cannot open this page</strong><span>Ask an admin for a role that includes it.</span></div>;
}
