'use client';

import type { ReactNode } from 'react';
import { AppShell, type NavItem } from '@/components/shared/app-shell';
import { canSeeIntegrations } from '@/lib/auth/permissions';
import { t } from '@/lib/i18n/pt-br';

const NAV: readonly NavItem[] = [
  { href: '/dashboard/', label: t.nav.overview },
  { href: '/dashboard/agents/', label: t.nav.agents },
  { href: '/dashboard/integrations/', label: t.nav.integrations, visible: canSeeIntegrations },
  { href: '/dashboard/usage/', label: t.nav.usage },
  { href: '/dashboard/support/', label: t.nav.support },
];

export default function DashboardLayout({ children }: { children: ReactNode }) {
  return <AppShell area="tenant" nav={NAV}>{children}</AppShell>;
}
