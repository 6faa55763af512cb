'use client';

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '@/components/shared/states';
import { ApiError } from '@/lib/api/client';
import type { CommandType, CreateCommandBody } from '@/lib/api/types';
import { t } from '@/lib/i18n/pt-br';
import { useInternalTenantAgents, useTenantDetail, useTenantsList } from '@/features/company/api/queries';
import { useCreateCommand } from '../api/commands';

const TYPES: readonly CommandType[] = ['HEALTH_CHECK', 'RESTART_AGENT', 'RESET_TOKEN', 'REPROCESS_QUEUE'];
const NEEDS_CONFIRMATION: readonly CommandType[] = ['RESET_TOKEN', 'RESTART_AGENT'];
const MAX_WINDOW_MS = 31 * 86_400_000;

type Errors = Partial<Record<'tenant' | 'agent' | 'integration' | 'from' | 'form', string>>;

/** `datetime-local` (the user's time) → ISO instant. */
const toIso = (local: string) => new Date(local).toISOString();

/** The command form: fields per command type, validated here and again by the API. */
export function CommandForm({ initialType = 'HEALTH_CHECK', initialTenantId = '' }: { initialType?: CommandType; initialTenantId?: string }) {
  const [type, setType] = useState<CommandType>(initialType);
  const [tenantId, setTenantId] = useState(initialTenantId);
  const [agentId, setAgentId] = useState('');
  const [integrationId, setIntegrationId] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [created, setCreated] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<CreateCommandBody | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const ids = { type: useId(), tenant: useId(), agent: useId(), integration: useId(), from: useId(), to: useId() };

  const tenants = useTenantsList({ status: 'all', limit: '200', sort_by: 'name' } as never);
  const detail = useTenantDetail(tenantId && type === 'RESET_TOKEN' ? tenantId : undefined);
  const agents = useInternalTenantAgents(tenantId && (type === 'RESTART_AGENT' || type === 'REPROCESS_QUEUE') ? tenantId : undefined);
  const create = useCreateCommand();
  const unsent = useRef<{ body: string; key: string } | null>(null);

  useEffect(() => {
    setAgentId('');
    setIntegrationId('');
  }, [tenantId]);
  useEffect(() => {
    if (confirming) dialog.current?.showModal?.();
    else dialog.current?.close?.();
  }, [confirming]);

  const validate = (): CreateCommandBody | null => {
    const next: Errors = {};
    if (type !== 'HEALTH_CHECK' && !tenantId) next.tenant = t.operations.errors.tenantRequired;
    if (type === 'RESTART_AGENT' && !agentId) next.agent = t.operations.errors.agentRequired;
    if (type === 'RESET_TOKEN' && !integrationId) next.integration = t.operations.errors.integrationRequired;
    if (type === 'REPROCESS_QUEUE' && from && to) {
      const span = Date.parse(toIso(to)) - Date.parse(toIso(from));
      if (span <= 0) next.from = t.operations.errors.windowOrder;
      else if (span > MAX_WINDOW_MS) next.from = t.operations.errors.windowTooLong;
    }
    setErrors(next);
    if (Object.keys(next).length > 0) return null;
    switch (type) {
      case 'HEALTH_CHECK':
        return { command_type: 'HEALTH_CHECK', ...(tenantId && { tenant_id: tenantId }), parameters: {} };
      case 'RESTART_AGENT':
        return { command_type: 'RESTART_AGENT', tenant_id: tenantId, parameters: { agent_id: agentId } };
      case 'RESET_TOKEN':
        return { command_type: 'RESET_TOKEN', tenant_id: tenantId, parameters: { integration_id: integrationId } };
      case 'REPROCESS_QUEUE':
        return {
          command_type: 'REPROCESS_QUEUE',
          tenant_id: tenantId,
          parameters: { ...(agentId && { agent_id: agentId }), ...(from && { from: toIso(from) }), ...(to && { to: toIso(to) }) },
        };
    }
  };

  const send = (body: CreateCommandBody) => {
    setConfirming(null);
    setCreated(null);
    // The same command sent again after a failure keeps its Idempotency-Key: if the first attempt
    // was stored after all (a lost answer, a 503 that could not confirm), it runs once, not twice.
    const text = JSON.stringify(body);
    if (unsent.current?.body !== text) unsent.current = { body: text, key: crypto.randomUUID() };
    create.mutate(
      { body, idempotencyKey: unsent.current.key },
      {
        onSuccess: (answer) => {
          unsent.current = null;
          setCreated(answer.command_id);
        },
        onError: (error) => {
          const field = error instanceof ApiError ? error.details?.[0] : undefined;
          setErrors({ form: field ? `${field.field}: ${field.message}` : errorMessage(error) });
        },
      },
    );
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const body = validate();
    if (!body) return;
    if (NEEDS_CONFIRMATION.includes(body.command_type)) setConfirming(body);
    else send(body);
  };

  const fieldError = (key: keyof Errors, id: string) =>
    errors[key] ? (
      <p id={`${id}-error`} className="field-error" role="alert">
        {errors[key]}
      </p>
    ) : null;
  const describedBy = (key: keyof Errors, id: string) => (errors[key] ? `${id}-error` : undefined);

  return (
    <form onSubmit={onSubmit} noValidate className="stack" aria-label={t.operations.form}>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={ids.type}>{t.operations.commandType}</label>
          <select id={ids.type} value={type} onChange={(e) => (setType(e.target.value as CommandType), setErrors({}))}>
            {TYPES.map((value) => (
              <option key={value} value={value}>{t.operations.types[value]}</option>
            ))}
          </select>
          <p className="hint">{t.operations.descriptions[type]}</p>
        </div>
        <div className="field">
          <label htmlFor={ids.tenant}>{type === 'HEALTH_CHECK' ? t.operations.tenantOptional : t.operations.tenant}</label>
          <select id={ids.tenant} value={tenantId} onChange={(e) => setTenantId(e.target.value)} aria-invalid={Boolean(errors.tenant)} aria-describedby={describedBy('tenant', ids.tenant)}>
            <option value="">{type === 'HEALTH_CHECK' ? t.operations.noTenant : t.operations.chooseTenant}</option>
            {tenants.data?.tenants.map((tenant) => (
              <option key={tenant.id} value={tenant.id}>{tenant.name}</option>
            ))}
            {tenantId && !tenants.data?.tenants.some((x) => x.id === tenantId) && <option value={tenantId}>{tenantId}</option>}
          </select>
          {fieldError('tenant', ids.tenant)}
        </div>
        {(type === 'RESTART_AGENT' || type === 'REPROCESS_QUEUE') && (
          <div className="field">
            <label htmlFor={ids.agent}>{type === 'RESTART_AGENT' ? t.operations.agent : t.operations.agentOptional}</label>
            <select id={ids.agent} value={agentId} onChange={(e) => setAgentId(e.target.value)} disabled={!tenantId} aria-invalid={Boolean(errors.agent)} aria-describedby={describedBy('agent', ids.agent)}>
              <option value="">{type === 'RESTART_AGENT' ? t.operations.chooseAgent : t.operations.anyAgent}</option>
              {agents.data?.agents.map((agent) => (
                <option key={agent.id} value={agent.id} disabled={type === 'RESTART_AGENT' && agent.status === 'suspended'}>
                  {agent.name} ({t.status[agent.status]})
                </option>
              ))}
            </select>
            {fieldError('agent', ids.agent)}
          </div>
        )}
        {type === 'RESET_TOKEN' && (
          <div className="field">
            <label htmlFor={ids.integration}>{t.operations.integration}</label>
            <select id={ids.integration} value={integrationId} onChange={(e) => setIntegrationId(e.target.value)} disabled={!tenantId} aria-invalid={Boolean(errors.integration)} aria-describedby={describedBy('integration', ids.integration)}>
              <option value="">{t.operations.chooseIntegration}</option>
              {detail.data?.integrations.map((integration) => (
                <option key={integration.id} value={integration.id}>
                  {integration.name} ({t.integrationTypes[integration.type] ?? integration.type})
                </option>
              ))}
            </select>
            {fieldError('integration', ids.integration)}
          </div>
        )}
        {type === 'REPROCESS_QUEUE' && (
          <>
            <div className="field">
              <label htmlFor={ids.from}>{t.operations.from}</label>
              <input id={ids.from} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={Boolean(errors.from)} aria-describedby={describedBy('from', ids.from)} />
              {fieldError('from', ids.from)}
            </div>
            <div className="field">
              <label htmlFor={ids.to}>{t.operations.to}</label>
              <input id={ids.to} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
              <p className="hint">{t.operations.windowHint}</p>
            </div>
          </>
        )}
      </div>
      {errors.form && <p className="form-error" role="alert">{errors.form}</p>}
      {created && <p className="notice" role="status">{t.operations.created(created)}</p>}
      <div>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? t.operations.submitting : t.operations.submit}
        </button>
      </div>
      <dialog ref={dialog} aria-labelledby="confirm-title" aria-describedby="confirm-text" onCancel={() => setConfirming(null)}>
        <h2 id="confirm-title">{t.operations.confirmTitle}</h2>
        <p id="confirm-text">{confirming?.command_type === 'RESET_TOKEN' ? t.operations.confirmResetToken : t.operations.confirmRestartAgent}</p>
        <div className="dialog-actions">
          <button type="button" className="button secondary" onClick={() => setConfirming(null)}>{t.common.cancel}</button>
          <button type="button" className="button danger" onClick={() => confirming && send(confirming)}>{t.common.confirm}</button>
        </div>
      </dialog>
    </form>
  );
}
