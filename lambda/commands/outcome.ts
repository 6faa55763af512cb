import { recordCommandEvent } from './commands-repository';
import type { CommandDeps } from './deps';
import type { StoredCommand } from './schemas';

/** The outcome's audit row: command_executed (info, or warning when a health check is degraded) or command_failed (error). */
export async function recordOutcome(deps: Pick<CommandDeps, 'db'>, command: StoredCommand): Promise<void> {
  const success = command.status === 'SUCCESS';
  const degraded = success && command.command_type === 'HEALTH_CHECK' && command.output?.includes('"status":"degraded"');
  const durationMs = command.started_at && command.completed_at ? Date.parse(command.completed_at) - Date.parse(command.started_at) : null;
  await recordCommandEvent(deps.db, {
    commandId: command.command_id,
    eventType: success ? 'command_executed' : 'command_failed',
    severity: success ? (degraded ? 'warning' : 'info') : 'error',
    tenantId: command.tenant_id ?? null,
    userSub: command.created_by,
    title: success ? `Comando ${command.command_type} executado` : `Comando ${command.command_type} falhou`,
    description: success ? undefined : command.error_message,
    metadata: {
      command_id: command.command_id,
      command_type: command.command_type,
      status: command.status,
      duration_ms: durationMs,
      ...(success && { output: safeJson(command.output) }),
    },
  });
}

function safeJson(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
