'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { cognitoEndpoint, loadConfig, type AppConfig } from '../config';
import { AuthError, decodeClaims, refreshTokens, revokeSession, signInWithPassword, type AuthTokens, type Claims } from './cognito';

const STORAGE_KEY = 'painel.session';
/** Refresh this long before the ID token expires. */
const REFRESH_MARGIN_MS = 2 * 60 * 1000;

export type SessionState =
  | { status: 'loading' }
  | { status: 'config-error'; retry: () => void }
  | { status: 'anonymous'; config: AppConfig; reason?: 'expired' | 'signed-out' }
  | { status: 'authenticated'; config: AppConfig; claims: Claims };

interface SessionApi {
  state: SessionState;
  signIn: (email: string, password: string) => Promise<Claims>;
  signOut: (reason?: 'expired' | 'signed-out') => Promise<void>;
  /** A valid ID token (refreshed first when close to expiry), or null when signed out. */
  idToken: () => Promise<string | null>;
}

const SessionContext = createContext<SessionApi | null>(null);

function readStored(): AuthTokens | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as AuthTokens) : null;
  } catch {
    return null;
  }
}

/**
 * Drops every response the app can reach besides React Query's: the Cache Storage API (none is
 * written today; a service worker or a library could). The HTTP cache is out of JavaScript's
 * reach, which is why API calls are `cache: 'no-store'`.
 */
async function discardCachedResponses(): Promise<void> {
  if (typeof window === 'undefined' || !('caches' in window)) return;
  try {
    for (const name of await window.caches.keys()) await window.caches.delete(name);
  } catch {
    // Unavailable (an insecure origin, a privacy mode): nothing was stored there either.
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const tokens = useRef<AuthTokens | null>(null);
  const config = useRef<AppConfig | null>(null);
  const refreshing = useRef<Promise<AuthTokens | null> | null>(null);
  const [attempt, setAttempt] = useState(0);

  const store = useCallback((next: AuthTokens | null) => {
    tokens.current = next;
    if (next) window.localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
    else window.localStorage.removeItem(STORAGE_KEY);
  }, []);

  const signOut = useCallback(
    async (reason: 'expired' | 'signed-out' = 'signed-out') => {
      const current = tokens.current;
      store(null);
      queryClient.clear();
      await discardCachedResponses();
      // The refresh token dies with the session (a copy taken from this browser no longer works),
      // before the app leaves the signed-in area; an unreachable IdP delays sign-out 3 s at most.
      if (current?.refreshToken && config.current && reason === 'signed-out') {
        await revokeSession(cognitoEndpoint(config.current), config.current.clientId, current.refreshToken, AbortSignal.timeout(3000)).catch(() => undefined);
      }
      if (config.current) setState({ status: 'anonymous', config: config.current, reason });
    },
    [queryClient, store],
  );

  const refresh = useCallback(async (): Promise<AuthTokens | null> => {
    const current = tokens.current;
    if (!current?.refreshToken || !config.current) return null;
    refreshing.current ??= refreshTokens(cognitoEndpoint(config.current), config.current.clientId, current.refreshToken)
      .then((next) => {
        store(next);
        return next;
      })
      .catch(async (error: unknown) => {
        if (error instanceof AuthError && error.code !== 'NetworkError') await signOut('expired');
        return null;
      })
      .finally(() => {
        refreshing.current = null;
      });
    return refreshing.current;
  }, [signOut, store]);

  // Load the config, then restore the session from storage (refreshing it when stale).
  useEffect(() => {
    let cancelled = false;
    loadConfig()
      .then(async (loaded) => {
        if (cancelled) return;
        config.current = loaded;
        const stored = readStored();
        tokens.current = stored;
        if (stored && stored.expiresAt - REFRESH_MARGIN_MS <= Date.now()) await refresh();
        if (cancelled) return;
        const current = tokens.current as AuthTokens | null;
        setState(current ? { status: 'authenticated', config: loaded, claims: decodeClaims(current.idToken) } : { status: 'anonymous', config: loaded });
      })
      .catch(() => {
        if (!cancelled) setState({ status: 'config-error', retry: () => setAttempt((n) => n + 1) });
      });
    return () => {
      cancelled = true;
    };
  }, [attempt, refresh]);

  // Refresh before expiry while signed in.
  const expiresAt = state.status === 'authenticated' ? tokens.current?.expiresAt : undefined;
  useEffect(() => {
    if (!expiresAt) return;
    const timer = window.setTimeout(() => void refresh(), Math.max(1000, expiresAt - REFRESH_MARGIN_MS - Date.now()));
    return () => window.clearTimeout(timer);
  }, [expiresAt, refresh]);

  // Another tab signed out or in: whatever this tab cached belonged to the session that ended.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY || !config.current) return;
      const next = readStored();
      if (!next || !tokens.current || decodeClaims(next.idToken).sub !== decodeClaims(tokens.current.idToken).sub) queryClient.clear();
      tokens.current = next;
      setState(next ? { status: 'authenticated', config: config.current, claims: decodeClaims(next.idToken) } : { status: 'anonymous', config: config.current });
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [queryClient]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const loaded = config.current ?? (await loadConfig());
      config.current = loaded;
      const next = await signInWithPassword(cognitoEndpoint(loaded), loaded.clientId, email.trim(), password);
      queryClient.clear();
      store(next);
      const claims = decodeClaims(next.idToken);
      setState({ status: 'authenticated', config: loaded, claims });
      return claims;
    },
    [queryClient, store],
  );

  const idToken = useCallback(async () => {
    const current = tokens.current;
    if (!current) return null;
    if (current.expiresAt - REFRESH_MARGIN_MS > Date.now()) return current.idToken;
    return (await refresh())?.idToken ?? null;
  }, [refresh]);

  const api = useMemo(() => ({ state, signIn, signOut, idToken }), [state, signIn, signOut, idToken]);
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user's claims; only inside a guarded area. */
export function useClaims(): Claims {
  const { state } = useSession();
  if (state.status !== 'authenticated') throw new Error('useClaims outside a signed-in area');
  return state.claims;
}
