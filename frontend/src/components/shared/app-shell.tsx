'use client';

import Link from 'next/link';
import { usePathname, useRouter } from 'next/navigation';
import { useEffect, useState, type ReactNode } from 'react';
import { homeFor, isStaff, isTenantUser } from '@/lib/auth/permissions';
import type { Claims } from '@/lib/auth/cognito';
import { useSession } from '@/lib/auth/session';
import { t } from '@/lib/i18n/pt-br';
import { ErrorState, Skeleton } from './states';

export interface NavItem {
  href: string;
  label: string;
  visible?: (claims: Claims) => boolean;
}

const AREA_ALLOWED = { tenant: isTenantUser, company: isStaff } as const;

/**
 * The signed-in frame of an area: sends anonymous visitors to sign-in and users of the other area
 * to their own (a convenience: the API refuses them anyway), then draws the navigation.
 */
export function AppShell({ area, nav, children }: { area: keyof typeof AREA_ALLOWED; nav: readonly NavItem[]; children: ReactNode }) {
  const { state, signOut } = useSession();
  const router = useRouter();
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  const allowed = state.status === 'authenticated' && AREA_ALLOWED[area](state.claims);

  useEffect(() => {
    if (state.status === 'anonymous') {
      const next = `${window.location.pathname}${window.location.search}`;
      router.replace(`/login/?${new URLSearchParams({ next, ...(state.reason ? { reason: state.reason } : {}) }).toString()}`);
    } else if (state.status === 'authenticated' && !allowed) {
      router.replace(homeFor(state.claims));
    }
  }, [state, allowed, router]);

  useEffect(() => setMenuOpen(false), [pathname]);

  if (state.status === 'config-error') return <main className="center"><ErrorState error={new Error(t.common.configError)} onRetry={state.retry} /></main>;
  if (state.status !== 'authenticated' || !allowed) return <main className="center"><Skeleton /></main>;

  const claims = state.claims;
  const items = nav.filter((item) => !item.visible || item.visible(claims));
  const isCurrent = (href: string) => (href.split('/').filter(Boolean).length <= 1 ? pathname === href || pathname === href.replace(/\/$/, '') : pathname.startsWith(href.replace(/\/$/, '')));

  return (
    <div className="shell">
      <a href="#main" className="skip-link">{t.app.skipToContent}</a>
      <header className="topbar">
        <button type="button" className="menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen((v) => !v)}>
          <span aria-hidden="true">☰</span>
          <span className="sr-only">{menuOpen ? t.app.closeMenu : t.app.openMenu}</span>
        </button>
        <span className="brand">{t.app.name}</span>
        <div className="user">
          <span className="user-name" title={claims.email}>
            <span className="sr-only">{t.auth.signedInAs} </span>
            {claims.email} · {claims.groups.map((g) => t.roles[g] ?? g).join(', ')}
          </span>
          <button type="button" className="button secondary" onClick={() => void signOut('signed-out')}>
            {t.auth.signOut}
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="main-nav" className={`sidenav ${menuOpen ? 'open' : ''}`} aria-label={t.app.menu}>
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={isCurrent(item.href) ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

/** A page only some groups of the area may see (e.g. billing): a message instead of the page. */
export function RequireGroup({ allow, message, children }: { allow: (claims: Claims) => boolean; message: string; children: ReactNode }) {
  const { state } = useSession();
  if (state.status !== 'authenticated') return null;
  if (!allow(state.claims)) return <div className="error-state" role="alert"><p>{message}</p></div>;
  return <>{children}</>;
}
