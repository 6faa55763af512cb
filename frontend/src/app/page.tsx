'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { Skeleton } from '@/components/shared/states';
import { homeFor } from '@/lib/auth/permissions';
import { useSession } from '@/lib/auth/session';

/** `/`: to the user's area, or to sign-in. */
export default function HomePage() {
  const { state } = useSession();
  const router = useRouter();
  useEffect(() => {
    if (state.status === 'authenticated') router.replace(homeFor(state.claims));
    else if (state.status === 'anonymous' || state.status === 'config-error') router.replace('/login/');
  }, [state, router]);
  return (
    <main className="center">
      <Skeleton />
    </main>
  );
}
