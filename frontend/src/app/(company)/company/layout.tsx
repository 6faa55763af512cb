'use client';

import type { ReactNode } from 'react';
import { AppShell, type NavItem } from '@/components/shared/app-shell';
import { canSeeBilling } from '@/lib/auth/permissions';
import { t } from '@/lib/i18n/pt-br';

const NAV: readonly NavItem[] = [
  { href: '/company/', label: t.nav.overview },
  { href: '/company/tenants/', label: t.nav.tenants },
  { href: '/company/agents/', label: t.nav.agents },
  { href: '/company/operations/', label: t.nav.operations },
  { href: '/company/billing/', label: t.nav.billing, visible: canSeeBilling },
];

export default function CompanyLayout({ children }: { children: ReactNode }) {
  return <AppShell area="company" nav={NAV}>{children}</AppShell>;
}
