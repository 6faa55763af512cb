import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomInt, randomUUID } from 'node:crypto';
import { ACCOUNT, REGION } from '../config';
import { listen, readBody } from '../http';

/**
 * An in-memory Secrets Manager speaking the service's awsJson1_1 protocol (POST /,
 * `X-Amz-Target: secretsmanager.<Operation>`), for the operations the handlers use. Nothing here
 * logs, and no error message repeats a request, so a secret value cannot leak from this process.
 */

const TARGET_PREFIX = 'secretsmanager.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_REQUEST_BYTES = 1024 * 1024;
const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

type ErrorType =
  | 'ResourceNotFoundException'
  | 'ResourceExistsException'
  | 'InvalidRequestException'
  | 'InvalidParameterException'
  | 'InvalidNextTokenException'
  | 'UnknownOperationException'
  | 'SerializationException';

class SecretsError extends Error {
  constructor(
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
  }
}

interface Version {
  id: string;
  /** Exactly one of the two; SecretBinary stays base64, as it travels. */
  secretString?: string;
  secretBinary?: string;
  stages: Set<string>;
  createdDate: number;
}

interface Secret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: Array<{ Key: string; Value: string }>;
  versions: Map<string, Version>;
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
}

export interface LocalSecretsManagerOptions {
  port?: number;
  host?: string;
}

export interface LocalSecretsManager {
  readonly endpoint: string;
  stop(): Promise<void>;
}

type Input = Record<string, unknown>;

export async function startLocalSecretsManager(options: LocalSecretsManagerOptions = {}): Promise<LocalSecretsManager> {
  const secrets = new Map<string, Secret>();

  const find = (secretId: unknown): Secret => {
    const id = requireString(secretId, 'SecretId');
    const byName = secrets.get(id);
    if (byName) return byName;
    for (const secret of secrets.values()) {
      // A partial ARN (without the random suffix) is accepted, as by the service.
      if (secret.arn === id || `${ARN_PREFIX}${secret.name}` === id) return secret;
    }
    throw new SecretsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  };

  /** A new version, or the existing one when the same request token comes again with the same value. */
  const addVersion = (secret: Secret, input: Input, stages: string[]): { version: Version; created: boolean } => {
    const token = input.ClientRequestToken === undefined ? randomUUID() : requireString(input.ClientRequestToken, 'ClientRequestToken');
    if (token.length < 32 || token.length > 64) throw new SecretsError('InvalidParameterException', 'ClientRequestToken must be 32 to 64 characters long.');
    const value = secretValue(input);
    const existing = secret.versions.get(token);
    if (existing) {
      if (existing.secretString === value.secretString && existing.secretBinary === value.secretBinary) return { version: existing, created: false };
      throw new SecretsError('ResourceExistsException', `You can't modify an existing version, you can only create new versions. VersionId: ${token}`);
    }
    const version: Version = { id: token, ...value, stages: new Set(), createdDate: nowSeconds() };
    secret.versions.set(token, version);
    for (const stage of stages) moveStage(secret, stage, version);
    secret.lastChangedDate = version.createdDate;
    return { version, created: true };
  };

  const operations: Record<string, (input: Input) => unknown> = {
    CreateSecret(input) {
      const name = requireString(input.Name, 'Name');
      if (!NAME_PATTERN.test(name)) throw new SecretsError('InvalidParameterException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
      const hasValue = input.SecretString !== undefined || input.SecretBinary !== undefined;
      const existing = secrets.get(name);
      if (existing) {
        // An idempotent retry (same token, same value) answers as the first call did.
        const token = input.ClientRequestToken;
        const version = typeof token === 'string' ? existing.versions.get(token) : undefined;
        if (version && hasValue) {
          const value = secretValue(input);
          if (version.secretString === value.secretString && version.secretBinary === value.secretBinary) {
            return { ARN: existing.arn, Name: existing.name, VersionId: version.id };
          }
        }
        throw new SecretsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
      }
      const created = nowSeconds();
      const secret: Secret = {
        arn: `${ARN_PREFIX}${name}-${suffix()}`,
        name,
        description: optionalString(input.Description, 'Description'),
        kmsKeyId: optionalString(input.KmsKeyId, 'KmsKeyId'),
        tags: Array.isArray(input.Tags) ? (input.Tags as Secret['tags']) : [],
        versions: new Map(),
        createdDate: created,
        lastChangedDate: created,
      };
      // Validate the value before storing anything, so a refused request leaves no secret behind.
      const version = hasValue ? addVersion(secret, input, [CURRENT]).version : undefined;
      secrets.set(name, secret);
      return { ARN: secret.arn, Name: secret.name, ...(version ? { VersionId: version.id } : {}) };
    },

    PutSecretValue(input) {
      const secret = find(input.SecretId);
      const stages = input.VersionStages === undefined ? [CURRENT] : requireStringArray(input.VersionStages, 'VersionStages');
      const { version } = addVersion(secret, input, stages);
      return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
    },

    GetSecretValue(input) {
      const secret = find(input.SecretId);
      const versionId = optionalString(input.VersionId, 'VersionId');
      const stage = optionalString(input.VersionStage, 'VersionStage') ?? (versionId ? undefined : CURRENT);
      const version = versionId ? secret.versions.get(versionId) : [...secret.versions.values()].find((v) => v.stages.has(stage!));
      if (!version) {
        const what = versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`;
        throw new SecretsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`);
      }
      if (stage && !version.stages.has(stage)) {
        throw new SecretsError('InvalidRequestException', `The version ${version.id} does not have the staging label ${stage}.`);
      }
      secret.lastAccessedDate = startOfDay(nowSeconds());
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.id,
        ...(version.secretString !== undefined ? { SecretString: version.secretString } : { SecretBinary: version.secretBinary }),
        VersionStages: [...version.stages],
        CreatedDate: version.createdDate,
      };
    },

    /** Every version's id and labels; deprecated ones (no label) only with IncludeDeprecated. Pages of MaxResults (≤ 100). */
    ListSecretVersionIds(input) {
      const secret = find(input.SecretId);
      const includeDeprecated = input.IncludeDeprecated === true;
      const max = input.MaxResults === undefined ? 100 : Number(input.MaxResults);
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new SecretsError('InvalidParameterException', 'MaxResults must be between 1 and 100.');
      const versions = [...secret.versions.values()].filter((v) => includeDeprecated || v.stages.size > 0);
      const start = input.NextToken === undefined ? 0 : Number(Buffer.from(requireString(input.NextToken, 'NextToken'), 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0 || start > versions.length) throw new SecretsError('InvalidNextTokenException', 'The NextToken value is invalid.');
      const page = versions.slice(start, start + max);
      return {
        ARN: secret.arn,
        Name: secret.name,
        Versions: page.map((v) => ({ VersionId: v.id, VersionStages: [...v.stages], CreatedDate: v.createdDate })),
        ...(start + max < versions.length ? { NextToken: Buffer.from(String(start + max)).toString('base64url') } : {}),
      };
    },

    DescribeSecret(input) {
      const secret = find(input.SecretId);
      // Versions without a staging label are deprecated and not listed, as by the service.
      const stages = Object.fromEntries([...secret.versions.values()].filter((v) => v.stages.size > 0).map((v) => [v.id, [...v.stages]]));
      return {
        ARN: secret.arn,
        Name: secret.name,
        ...(secret.description !== undefined ? { Description: secret.description } : {}),
        ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
        RotationEnabled: false,
        LastChangedDate: secret.lastChangedDate,
        ...(secret.lastAccessedDate !== undefined ? { LastAccessedDate: secret.lastAccessedDate } : {}),
        Tags: secret.tags,
        VersionIdsToStages: stages,
        CreatedDate: secret.createdDate,
      };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (req.method !== 'POST') throw new SecretsError('UnknownOperationException', 'Only POST / is supported.');
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.startsWith(TARGET_PREFIX) ? operations[target.slice(TARGET_PREFIX.length)] : undefined;
      const body = await readBody(req, MAX_REQUEST_BYTES, () => new SecretsError('InvalidRequestException', 'Request body too large.'));
      if (!operation) throw new SecretsError('UnknownOperationException', 'The requested operation is not supported by the local Secrets Manager.');
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new SecretsError('SerializationException', 'The request body is not valid JSON.');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new SecretsError('SerializationException', 'The request body must be a JSON object.');
      send(res, 200, operation(input as Input));
    } catch (error) {
      if (error instanceof SecretsError) send(res, 400, { __type: error.type, message: error.message });
      else send(res, 500, { __type: 'InternalServiceError', message: 'Internal error' });
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  const { url } = await listen(server, options.port, options.host);
  return {
    endpoint: url,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const ARN_PREFIX = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:`;

/** Staging labels move: the version that had one loses it; AWSCURRENT leaving a version makes it AWSPREVIOUS. */
function moveStage(secret: Secret, stage: string, to: Version): void {
  for (const version of secret.versions.values()) {
    if (version === to || !version.stages.has(stage)) continue;
    version.stages.delete(stage);
    if (stage === CURRENT) {
      for (const other of secret.versions.values()) other.stages.delete(PREVIOUS);
      version.stages.add(PREVIOUS);
    }
  }
  to.stages.add(stage);
  if (stage === CURRENT) to.stages.delete(PREVIOUS);
}

function secretValue(input: Input): Pick<Version, 'secretString' | 'secretBinary'> {
  const { SecretString: text, SecretBinary: binary } = input;
  if (text !== undefined && binary !== undefined) {
    throw new SecretsError('InvalidParameterException', "You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (text === undefined && binary === undefined) throw new SecretsError('InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
  if (text !== undefined) return { secretString: requireString(text, 'SecretString') };
  return { secretBinary: requireString(binary, 'SecretBinary') };
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw new SecretsError('InvalidParameterException', `${name} must be a non-empty string.`);
  return value;
}

function optionalString(value: unknown, name: string): string | undefined {
  return value === undefined || value === null ? undefined : requireString(value, name);
}

function requireStringArray(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || v === '')) {
    throw new SecretsError('InvalidParameterException', `${name} must be a non-empty list of strings.`);
  }
  return value as string[];
}

function suffix(): string {
  return Array.from({ length: 6 }, () => ALNUM[randomInt(ALNUM.length)]).join('');
}

/** Timestamps travel as epoch seconds with a fraction in awsJson. */
function nowSeconds(): number {
  return Date.now() / 1000;
}

function startOfDay(seconds: number): number {
  return Math.floor(seconds / 86_400) * 86_400;
}


function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}
