'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { Suspense, useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorState, Skeleton } from '@/components/shared/states';
import { AuthError } from '@/lib/auth/cognito';
import { homeFor, isStaff } from '@/lib/auth/permissions';
import { useSession } from '@/lib/auth/session';
import { t } from '@/lib/i18n/pt-br';

function safeNext(next: string | null, staff: boolean): string | null {
  // Only same-site paths of the user's own area.
  if (!next || !next.startsWith('/') || next.startsWith('//')) return null;
  return next.startsWith(staff ? '/company' : '/dashboard') ? next : null;
}

function LoginForm() {
  const { state, signIn } = useSession();
  const router = useRouter();
  const params = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const errorRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (state.status === 'authenticated' && !submitting) router.replace(safeNext(params.get('next'), isStaff(state.claims)) ?? homeFor(state.claims));
  }, [state, submitting, router, params]);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  if (state.status === 'config-error') return <ErrorState error={new Error(t.common.configError)} onRetry={state.retry} />;
  if (state.status === 'loading' || state.status === 'authenticated') return <Skeleton />;

  const reason = params.get('reason') ?? state.reason;
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!email.trim() || !password) return setError(t.auth.required);
    setError(null);
    setSubmitting(true);
    try {
      const claims = await signIn(email, password);
      router.replace(safeNext(params.get('next'), isStaff(claims)) ?? homeFor(claims));
    } catch (caught) {
      const code = caught instanceof AuthError ? caught.code : '';
      setError(code === 'NotAuthorizedException' || code === 'UserNotFoundException' ? t.auth.wrongPassword : t.auth.unavailable);
      setSubmitting(false);
    }
  };

  return (
    <form className="card login" onSubmit={onSubmit} noValidate aria-describedby={error ? 'login-error' : undefined}>
      <h1>{t.auth.title}</h1>
      {reason === 'expired' && <p className="notice" role="status">{t.auth.expired}</p>}
      {reason === 'signed-out' && <p className="notice" role="status">{t.auth.signedOut}</p>}
      <div className="field">
        <label htmlFor="email">{t.auth.email}</label>
        <input id="email" name="email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="password">{t.auth.password}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      {error && (
        <p id="login-error" className="form-error" role="alert" tabIndex={-1} ref={errorRef}>
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={submitting}>
        {submitting ? t.auth.submitting : t.auth.submit}
      </button>
    </form>
  );
}

export default function LoginPage() {
  return (
    <main className="center">
      <Suspense fallback={<Skeleton />}>
        <LoginForm />
      </Suspense>
    </main>
  );
}
